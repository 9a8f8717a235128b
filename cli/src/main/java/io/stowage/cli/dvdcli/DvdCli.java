package io.stowage.cli.dvdcli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.cli.plugin.PluginClient;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * A {@code dvdcli} 0.2-compatible command: {@code create}, {@code remove}, {@code mount},
 * {@code unmount}, {@code path}, {@code get}, {@code list} and {@code version}, with the flags
 * {@code --volumedriver} (default {@code rexray}), {@code --volumename}, repeatable and
 * comma-separated {@code --volumeopts}, and {@code --explicitcreate} (also
 * {@code --explicitCreate}). {@code mount} creates a missing volume unless explicit create is
 * set, and prints the mount point alone on stdout. Exit 0 on success, 1 on any plugin or lookup
 * error, 2 on a bad flag (dvdcli itself exited 0 there).
 */
@Command(name = "dvdcli", mixinStandardHelpOptions = true,
    versionProvider = DvdCli.Version.class,
    description = "Docker volume driver CLI: manage volumes through a Docker volume plugin.",
    subcommands = {DvdCli.Create.class, DvdCli.Remove.class, DvdCli.MountCmd.class,
        DvdCli.Unmount.class, DvdCli.PathCmd.class, DvdCli.Get.class, DvdCli.ListCmd.class,
        DvdCli.VersionCmd.class})
public final class DvdCli implements Runnable {
  /** How long one call to the plugin may take (a mount may attach and format). */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

  @Spec
  CommandSpec spec;

  @Option(names = {"--volumedriver", "--volumeDriver"}, defaultValue = "rexray",
      scope = ScopeType.INHERIT, paramLabel = "<name>",
      description = "Volume driver plugin name (default: ${DEFAULT-VALUE}).")
  String volumeDriver;

  @Option(names = {"--volumename", "--volumeName"}, scope = ScopeType.INHERIT,
      paramLabel = "<name>", description = "Volume name.")
  String volumeName;

  private final Map<String, String> environment;
  private final ObjectMapper json = new ObjectMapper();

  DvdCli(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Runs dvdcli and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv()));
  }

  /**
   * Runs dvdcli without exiting.
   *
   * @param args the command line
   * @param out standard output
   * @param err standard error
   * @param environment the environment ({@code DVDCLI_PLUGIN_DIRS})
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err,
      Map<String, String> environment) {
    CommandLine cl = new CommandLine(new DvdCli(environment));
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("Error: " + ex.getMessage());
      ex.getCommandLine().usage(err);
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, c, p) -> {
      err.println("Error: " + (ex instanceof StowageException || ex instanceof IOException
          ? ex.getMessage() : ex.toString()));
      err.flush();
      return 1;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private String name() {
    if (volumeName == null || volumeName.isBlank()) {
      throw new InvalidArgumentException("volumename", volumeName,
          "is required (--volumename=<name>)");
    }
    return volumeName;
  }

  /** Finds and activates the plugin. */
  private PluginClient plugin() throws IOException {
    PluginClient client = PluginLocator.fromEnvironment(environment)
        .find(volumeDriver, CALL_TIMEOUT);
    JsonNode reply = call(client, "/Plugin.Activate", "{}");
    JsonNode implementations = reply.get("Implements");
    boolean volumes = false;
    if (implementations != null && implementations.isArray()) {
      for (JsonNode i : implementations) {
        volumes |= "VolumeDriver".equals(i.asText());
      }
    }
    if (!volumes) {
      throw new PluginError("plugin " + volumeDriver + " does not implement VolumeDriver");
    }
    return client;
  }

  private JsonNode call(PluginClient client, String path, String body) throws IOException {
    PluginClient.Response r = client.post(path, body);
    JsonNode node;
    try {
      node = json.readTree(r.body());
    } catch (IOException e) {
      throw new PluginError(volumeDriver + ": " + path + " answered HTTP " + r.status()
          + " with a body that is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new PluginError(volumeDriver + ": " + path + " answered HTTP " + r.status()
          + " without a JSON object");
    }
    JsonNode err = node.get("Err");
    if (err != null && err.isTextual() && !err.textValue().isEmpty()) {
      throw new PluginError(err.textValue());
    }
    if (r.status() != 200) {
      throw new PluginError(volumeDriver + ": " + path + " answered HTTP " + r.status());
    }
    return node;
  }

  private String request(String name) {
    return json.createObjectNode().put("Name", name).toString();
  }

  private JsonNode get(PluginClient client, String name) throws IOException {
    return call(client, "/VolumeDriver.Get", request(name));
  }

  private void create(PluginClient client, String name, List<String> volumeOpts)
      throws IOException {
    ObjectNode body = json.createObjectNode().put("Name", name);
    ObjectNode opts = body.putObject("Opts");
    parseOpts(volumeOpts).forEach(opts::put);
    call(client, "/VolumeDriver.Create", body.toString());
  }

  /**
   * Parses {@code --volumeopts} items: each may hold comma-separated {@code key=value} pairs.
   *
   * @param items the items
   * @return the options in order
   * @throws InvalidArgumentException for a pair without {@code =}
   */
  static Map<String, String> parseOpts(List<String> items) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String item : items) {
      for (String pair : item.split(",")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new InvalidArgumentException("volumeopts", pair, "must be key=value");
        }
        map.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return map;
  }

  /** An error the plugin reported. */
  static final class PluginError extends StowageException {
    private static final long serialVersionUID = 1L;

    PluginError(String message) {
      super(message);
    }
  }

  /** {@code dvdcli create}. */
  @Command(name = "create", description = "Create a volume.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Option(names = {"--volumeopts", "--volumeOpts"}, split = ",",
        paramLabel = "<key=value>", description = "Volume option (repeatable, comma-separated).")
    List<String> volumeOpts = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
      String name = top.name();
      parseOpts(volumeOpts);
      top.create(top.plugin(), name, volumeOpts);
      top.spec.commandLine().getErr().println("Created volume " + name);
      return 0;
    }
  }

  /** {@code dvdcli remove}. */
  @Command(name = "remove", description = "Remove a volume.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Override
    public Integer call() throws IOException {
      String name = top.name();
      PluginClient client = top.plugin();
      top.get(client, name);
      top.call(client, "/VolumeDriver.Remove", top.request(name));
      return 0;
    }
  }

  /** {@code dvdcli mount}. */
  @Command(name = "mount", description = "Mount a volume, creating it unless"
      + " --explicitcreate is set; prints the mount point.")
  static final class MountCmd implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Option(names = {"--volumeopts", "--volumeOpts"}, split = ",",
        paramLabel = "<key=value>", description = "Options for an implicit create"
            + " (repeatable, comma-separated).")
    List<String> volumeOpts = new ArrayList<>();

    @Option(names = {"--explicitcreate", "--explicitCreate"}, arity = "0..1",
        paramLabel = "<bool>", description = "Fail instead of creating a missing volume.")
    boolean explicitCreate;

    @Override
    public Integer call() throws IOException {
      String name = top.name();
      parseOpts(volumeOpts);
      PluginClient client = top.plugin();
      try {
        top.get(client, name);
      } catch (PluginError e) {
        if (explicitCreate) {
          throw new PluginError("volume " + name + " does not exist and --explicitcreate is set: "
              + e.getMessage());
        }
        top.create(client, name, volumeOpts);
      }
      JsonNode reply = top.call(client, "/VolumeDriver.Mount", top.request(name));
      String mountpoint = reply.path("Mountpoint").asText("");
      if (mountpoint.isEmpty()) {
        throw new PluginError("plugin " + top.volumeDriver + " returned no mount point for "
            + name);
      }
      top.spec.commandLine().getErr().println("Mounted volume " + name + " at " + mountpoint);
      top.spec.commandLine().getOut().println(mountpoint);
      return 0;
    }
  }

  /** {@code dvdcli unmount}. */
  @Command(name = "unmount", description = "Unmount a volume.")
  static final class Unmount implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Override
    public Integer call() throws IOException {
      String name = top.name();
      PluginClient client = top.plugin();
      top.get(client, name);
      top.call(client, "/VolumeDriver.Unmount", top.request(name));
      return 0;
    }
  }

  /** {@code dvdcli path}. */
  @Command(name = "path", description = "Print the mount point of a volume, if mounted.")
  static final class PathCmd implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Override
    public Integer call() throws IOException {
      String name = top.name();
      PluginClient client = top.plugin();
      String mountpoint = top.get(client, name).path("Volume").path("Mountpoint").asText("");
      if (mountpoint.isEmpty()) {
        mountpoint = top.call(client, "/VolumeDriver.Path", top.request(name))
            .path("Mountpoint").asText("");
      }
      if (!mountpoint.isEmpty()) {
        top.spec.commandLine().getOut().println(mountpoint);
      }
      return 0;
    }
  }

  /** {@code dvdcli get}. */
  @Command(name = "get", description = "Print the volume's name if it exists.")
  static final class Get implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Override
    public Integer call() throws IOException {
      String name = top.name();
      JsonNode reply = top.get(top.plugin(), name);
      top.spec.commandLine().getOut().println(reply.path("Volume").path("Name").asText(name));
      return 0;
    }
  }

  /** {@code dvdcli list}. */
  @Command(name = "list", description = "Print the names of the plugin's volumes.")
  static final class ListCmd implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Override
    public Integer call() throws IOException {
      JsonNode reply = top.call(top.plugin(), "/VolumeDriver.List", "{}");
      for (JsonNode v : reply.path("Volumes")) {
        top.spec.commandLine().getOut().println(v.path("Name").asText());
      }
      return 0;
    }
  }

  /** {@code dvdcli version}. */
  @Command(name = "version", description = "Print the version.")
  static final class VersionCmd implements Callable<Integer> {
    @ParentCommand
    DvdCli top;

    @Override
    public Integer call() {
      top.spec.commandLine().getOut().println("dvdcli (stowage) " + version());
      return 0;
    }
  }

  static String version() {
    try (InputStream in = DvdCli.class.getResourceAsStream("/io/stowage/cli/version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Gives {@code --version} the version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dvdcli (stowage) " + version()};
    }
  }
}
