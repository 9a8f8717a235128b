package io.stowage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

/** {@code stowage version}. */
@Command(name = "version", description = "Print the version of Stowage and of the Java runtime.")
final class VersionCommand implements Callable<Integer> {
  @ParentCommand
  StowageCommand top;

  @Override
  public Integer call() {
    Printer p = top.printer();
    if (p.isJson()) {
      p.json(p.mapper().createObjectNode().put("version", version())
          .put("java", System.getProperty("java.version"))
          .put("javaVendor", System.getProperty("java.vendor")));
    } else {
      p.line("stowage " + version() + " (Java " + System.getProperty("java.version") + ")");
    }
    return ExitCodes.OK;
  }

  /**
   * Returns the version of this build.
   *
   * @return the version, or {@code unknown}
   */
  static String version() {
    try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Gives picocli's {@code --version} the same text. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"stowage " + version()};
    }
  }
}
