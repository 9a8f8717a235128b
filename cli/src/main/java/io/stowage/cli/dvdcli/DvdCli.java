package io.stowage.cli.dvdcli;

import io.stowage.cli.SecretArguments;
import io.stowage.cli.plugin.PluginClient;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * A {@code dvdcli} 0.2-compatible command: {@code create}, {@code remove}, {@code mount},
 * {@code unmount}, {@code path}, {@code get}, {@code list} and {@code version}, with the flags
 * {@code --volumedriver} (default {@code rexray}), {@code --volumename}, repeatable and
 * comma-separated {@code --volumeopts}, and {@code --explicitcreate} (also
 * {@code --explicitCreate}). {@code mount} creates a missing volume unless explicit create is
 * set, and prints the mount point alone on stdout. Exit 0 on success, 1 on any plugin or lookup
 * error, 2 on a bad flag (dvdcli itself exited 0 there).
 *
 * <p>The flags are parsed with Apache Commons CLI rather than the annotation-driven parser of the
 * {@code stowage} command: dvdcli is run once per container mount, so its start-up time counts,
 * and every class it loads can be kept in a class data sharing archive.
 */
public final class DvdCli {
  /** How long one call to the plugin may take (a mount may attach and format). */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

  private static final Set<String> COMMANDS =
      Set.of("create", "remove", "mount", "unmount", "path", "get", "list", "version");
  private static final String SYNTAX = "dvdcli [-hV] [--volumedriver=<name>]"
      + " [--volumename=<name>] <command> [--volumeopts=<key=value>]... [--explicitcreate]";
  private static final String COMMAND_HELP = String.join("\n",
      "Commands:",
      "  create   Create a volume.",
      "  remove   Remove a volume.",
      "  mount    Mount a volume, creating it unless --explicitcreate is set; prints the mount"
          + " point.",
      "  unmount  Unmount a volume.",
      "  path     Print the mount point of a volume, if mounted.",
      "  get      Print the volume's name if it exists.",
      "  list     Print the names of the plugin's volumes.",
      "  version  Print the version.");

  private final Map<String, String> environment;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Json json = new Json();
  private String volumeDriver = "rexray";
  private String volumeName;

  private DvdCli(Map<String, String> environment, PrintWriter out, PrintWriter err) {
    this.environment = Map.copyOf(environment);
    this.out = out;
    this.err = err;
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
    DvdCli cli = new DvdCli(environment, out, err);
    try {
      return cli.execute(args);
    } catch (UsageError e) {
      err.println("Error: " + SecretArguments.mask(e.getMessage(), List.of(args)));
      usage(err);
      return 2;
    } catch (StowageException | IOException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("Error: " + e);
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The flags. Each long flag also has a camel-case alias ({@code --volumeName}), accepted but
   * left out of the usage text.
   */
  private static Options options(boolean aliases) {
    Options options = new Options();
    options.addOption(Option.builder("h").longOpt("help").desc("Show this help and exit.")
        .build());
    options.addOption(Option.builder("V").longOpt("version")
        .desc("Print the version and exit.").build());
    flag(options, aliases, "volumedriver", "volumeDriver", Option.builder().hasArg()
        .argName("name").desc("Volume driver plugin name (default: rexray)."));
    flag(options, aliases, "volumename", "volumeName", Option.builder().hasArg()
        .argName("name").desc("Volume name."));
    flag(options, aliases, "volumeopts", "volumeOpts", Option.builder().hasArg()
        .argName("key=value").desc("create, mount: a volume option (repeatable,"
            + " comma-separated)."));
    flag(options, aliases, "explicitcreate", "explicitCreate", Option.builder()
        .optionalArg(true).numberOfArgs(1).argName("true|false")
        .desc("mount: fail instead of creating a missing volume."));
    return options;
  }

  private static void flag(Options options, boolean aliases, String name, String alias,
      Option.Builder builder) {
    options.addOption(builder.longOpt(name).build());
    if (aliases) {
      options.addOption(builder.longOpt(alias).build());
    }
  }

  private static void usage(PrintWriter to) {
    HelpFormatter help = new HelpFormatter();
    help.setOptionComparator(null);
    help.setLongOptSeparator("=");
    help.printHelp(to, 100, SYNTAX, "Docker volume driver CLI: manage volumes through a Docker"
        + " volume plugin.", options(false), 2, 2, COMMAND_HELP, false);
    to.flush();
  }

  private int execute(String[] args) throws IOException {
    CommandLine line;
    try {
      line = DefaultParser.builder().setAllowPartialMatching(false)
          .setStripLeadingAndTrailingQuotes(false).build()
          .parse(options(true), args);
    } catch (ParseException e) {
      throw new UsageError(e.getMessage());
    }
    List<String> volumeOpts = new ArrayList<>();
    boolean explicitCreate = false;
    Set<String> given = new HashSet<>();
    for (Option option : line.getOptions()) {
      String flag = option.getLongOpt().toLowerCase(Locale.ROOT);
      if (!given.add(flag) && !flag.equals("volumeopts")) {
        throw new UsageError("option '--" + flag + "' should be specified only once");
      }
      switch (flag) {
        case "help" -> {
          usage(out);
          return 0;
        }
        case "version" -> {
          out.println("dvdcli (stowage) " + version());
          return 0;
        }
        case "volumedriver" -> volumeDriver = option.getValue();
        case "volumename" -> volumeName = option.getValue();
        case "volumeopts" -> volumeOpts.add(option.getValue());
        case "explicitcreate" -> explicitCreate = bool(option.getValue());
        default -> throw new UsageError("unknown option '--" + flag + "'");
      }
    }
    List<String> rest = line.getArgList();
    if (rest.isEmpty()) {
      usage(out);
      return 0;
    }
    String command = rest.get(0);
    if (!COMMANDS.contains(command)) {
      throw new UsageError("unknown command '" + command + "'");
    }
    if (rest.size() > 1) {
      throw new UsageError("unmatched argument '" + rest.get(1) + "' for " + command);
    }
    if (!volumeOpts.isEmpty() && !command.equals("create") && !command.equals("mount")) {
      throw new UsageError("--volumeopts applies to create and mount only");
    }
    if (given.contains("explicitcreate") && !command.equals("mount")) {
      throw new UsageError("--explicitcreate applies to mount only");
    }
    if (!command.equals("list") && !command.equals("version")
        && (volumeName == null || volumeName.isBlank())) {
      throw new UsageError(command + " needs --volumename=<name>");
    }
    if (!PluginLocator.isPluginName(volumeDriver)) {
      throw new UsageError("invalid value '" + volumeDriver + "' for --volumedriver: "
          + PluginLocator.PLUGIN_NAME_RULE);
    }
    try {
      parseOpts(volumeOpts);
    } catch (InvalidArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    switch (command) {
      case "create" -> create(volumeOpts);
      case "remove" -> remove();
      case "mount" -> mount(volumeOpts, explicitCreate);
      case "unmount" -> unmount();
      case "path" -> path();
      case "get" -> get();
      case "list" -> list();
      default -> out.println("dvdcli (stowage) " + version());
    }
    return 0;
  }

  private static boolean bool(String value) {
    if (value == null || value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new UsageError("invalid value '" + value + "' for --explicitcreate: must be true or"
        + " false");
  }

  /** Finds and activates the plugin. */
  private PluginClient plugin() throws IOException {
    PluginClient client = PluginLocator.fromEnvironment(environment)
        .find(volumeDriver, CALL_TIMEOUT);
    Map<String, Object> reply = call(client, "/Plugin.Activate", "{}");
    boolean volumes = reply.get("Implements") instanceof List<?> implementations
        && implementations.contains("VolumeDriver");
    if (!volumes) {
      throw new PluginError("plugin " + volumeDriver + " does not implement VolumeDriver");
    }
    return client;
  }

  private Map<String, Object> call(PluginClient client, String path, String body)
      throws IOException {
    PluginClient.Response r = client.post(path, body);
    Object node;
    try {
      node = json.read(r.body());
    } catch (IOException e) {
      throw new PluginError(volumeDriver + ": " + path + " answered HTTP " + r.status()
          + " with a body that is not JSON");
    }
    if (!(node instanceof Map<?, ?>)) {
      throw new PluginError(volumeDriver + ": " + path + " answered HTTP " + r.status()
          + " without a JSON object");
    }
    String error = Json.text(node, "Err");
    if (!error.isEmpty()) {
      throw new PluginError(error);
    }
    if (r.status() != 200) {
      throw new PluginError(volumeDriver + ": " + path + " answered HTTP " + r.status());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) node;
    return object;
  }

  private String request(String name) {
    return json.write(Map.of("Name", name));
  }

  private Map<String, Object> get(PluginClient client, String name) throws IOException {
    return call(client, "/VolumeDriver.Get", request(name));
  }

  private void create(PluginClient client, String name, List<String> volumeOpts)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Name", name);
    body.put("Opts", parseOpts(volumeOpts));
    call(client, "/VolumeDriver.Create", json.write(body));
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

  /** {@code dvdcli create}. */
  private void create(List<String> volumeOpts) throws IOException {
    String name = volumeName;
    create(plugin(), name, volumeOpts);
    err.println("Created volume " + name);
  }

  /** {@code dvdcli remove}. */
  private void remove() throws IOException {
    String name = volumeName;
    PluginClient client = plugin();
    get(client, name);
    call(client, "/VolumeDriver.Remove", request(name));
  }

  /** {@code dvdcli mount}. */
  private void mount(List<String> volumeOpts, boolean explicitCreate) throws IOException {
    String name = volumeName;
    PluginClient client = plugin();
    try {
      get(client, name);
    } catch (PluginError e) {
      if (explicitCreate) {
        throw new PluginError("volume " + name + " does not exist and --explicitcreate is set: "
            + e.getMessage());
      }
      create(client, name, volumeOpts);
    }
    String mountpoint = Json.text(call(client, "/VolumeDriver.Mount", request(name)),
        "Mountpoint");
    if (mountpoint.isEmpty()) {
      throw new PluginError("plugin " + volumeDriver + " returned no mount point for " + name);
    }
    err.println("Mounted volume " + name + " at " + mountpoint);
    out.println(mountpoint);
  }

  /** {@code dvdcli unmount}. */
  private void unmount() throws IOException {
    String name = volumeName;
    PluginClient client = plugin();
    get(client, name);
    call(client, "/VolumeDriver.Unmount", request(name));
  }

  /** {@code dvdcli path}. */
  private void path() throws IOException {
    String name = volumeName;
    PluginClient client = plugin();
    String mountpoint = Json.text(get(client, name).get("Volume"), "Mountpoint");
    if (mountpoint.isEmpty()) {
      mountpoint = Json.text(call(client, "/VolumeDriver.Path", request(name)), "Mountpoint");
    }
    if (!mountpoint.isEmpty()) {
      out.println(mountpoint);
    }
  }

  /** {@code dvdcli get}. */
  private void get() throws IOException {
    String name = volumeName;
    String found = Json.text(get(plugin(), name).get("Volume"), "Name");
    out.println(found.isEmpty() ? name : found);
  }

  /** {@code dvdcli list}. */
  private void list() throws IOException {
    if (call(plugin(), "/VolumeDriver.List", "{}").get("Volumes") instanceof List<?> volumes) {
      for (Object v : volumes) {
        out.println(Json.text(v, "Name"));
      }
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

  /** An error the plugin reported. */
  static final class PluginError extends StowageException {
    private static final long serialVersionUID = 1L;

    PluginError(String message) {
      super(message);
    }
  }

  /** A bad flag, command or argument: exit 2 with the usage on stderr. */
  private static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }
}
