package io.stowage.internal.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test sources in a second JVM with this JVM's class path. */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * Starts the child. Its standard error goes to {@code stderrLog}, for failure messages.
   */
  static Process start(Class<?> mainClass, Path stderrLog, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()))
        .start();
  }

  /** The child's standard error so far, for assertion messages. */
  static String stderr(Path stderrLog) {
    try {
      return Files.exists(stderrLog) ? Files.readString(stderrLog) : "";
    } catch (IOException e) {
      return "(cannot read " + stderrLog + ": " + e + ")";
    }
  }
}
