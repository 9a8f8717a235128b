package io.stowage.cli.dvdcli;

import io.stowage.cli.plugin.PluginClient;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds a Docker volume plugin by name as Docker does: {@code <name>.sock} under
 * {@code /run/docker/plugins}, then {@code <name>.spec} (a URL) or {@code <name>.json}
 * ({@code {"Name", "Addr"}}) under {@code /etc/docker/plugins} and
 * {@code /usr/lib/docker/plugins}; each also inside a {@code <name>/} subdirectory. The
 * environment variable {@code DVDCLI_PLUGIN_DIRS} (colon-separated) replaces the three
 * directories. Immutable and thread-safe.
 */
public final class PluginLocator {
  /** The environment variable that replaces the searched directories. */
  public static final String DIRS_VARIABLE = "DVDCLI_PLUGIN_DIRS";
  /** Docker's directories, in the order Docker searches them. */
  public static final List<Path> DEFAULT_DIRS = List.of(Path.of("/run/docker/plugins"),
      Path.of("/etc/docker/plugins"), Path.of("/usr/lib/docker/plugins"));

  /** What a plugin name may be, for messages. */
  public static final String PLUGIN_NAME_RULE =
      "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private final List<Path> dirs;

  /**
   * Creates a locator over the given directories.
   *
   * @param dirs the directories, searched in order
   */
  public PluginLocator(List<Path> dirs) {
    this.dirs = List.copyOf(dirs);
  }

  /**
   * Creates a locator from the environment: {@code DVDCLI_PLUGIN_DIRS} when set, else Docker's
   * directories.
   *
   * @param environment the environment variables
   * @return the locator
   * @throws InvalidArgumentException when an entry is not an absolute path
   */
  public static PluginLocator fromEnvironment(Map<String, String> environment) {
    String value = environment.get(DIRS_VARIABLE);
    if (value == null || value.isBlank()) {
      return new PluginLocator(DEFAULT_DIRS);
    }
    List<Path> dirs = new ArrayList<>();
    for (String d : value.split(":")) {
      if (d.isBlank()) {
        continue;
      }
      Path dir;
      try {
        dir = Path.of(d.strip());
      } catch (InvalidPathException e) {
        dir = null;
      }
      if (dir == null || !dir.isAbsolute()) {
        throw new InvalidArgumentException(DIRS_VARIABLE, d, "each directory must be an"
            + " absolute path");
      }
      dirs.add(dir.normalize());
    }
    return new PluginLocator(dirs);
  }

  /**
   * Returns whether a name can name a plugin: it becomes a file name in the searched
   * directories, so it has no '/' and is not '.' or '..'.
   *
   * @param name the name
   * @return whether it is valid
   */
  public static boolean isPluginName(String name) {
    return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  }

  /**
   * Finds a plugin and returns a client for it.
   *
   * @param name the plugin name, such as {@code rexray}
   * @param timeout the longest a call may take
   * @return the client
   * @throws DriverNotFoundException when no socket or spec file names it
   * @throws InvalidArgumentException when the name or a spec file is malformed
   */
  public PluginClient find(String name, Duration timeout) {
    Objects.requireNonNull(name, "name");
    if (!isPluginName(name)) {
      throw new InvalidArgumentException("volumedriver", name, PLUGIN_NAME_RULE);
    }
    for (Path dir : dirs) {
      for (Path base : List.of(dir, dir.resolve(name))) {
        Path sock = base.resolve(name + ".sock");
        if (Files.exists(sock)) {
          return PluginClient.unix(sock, timeout);
        }
      }
    }
    for (Path dir : dirs) {
      for (Path base : List.of(dir, dir.resolve(name))) {
        Path spec = base.resolve(name + ".spec");
        if (Files.isRegularFile(spec)) {
          return PluginClient.forAddress(read(spec).strip(), timeout);
        }
        Path json = base.resolve(name + ".json");
        if (Files.isRegularFile(json)) {
          return PluginClient.forAddress(addr(json), timeout);
        }
      }
    }
    throw new DriverNotFoundException(name, List.of(), "volume driver plugin \"" + name
        + "\" not found: no " + name + ".sock, " + name + ".spec or " + name + ".json in "
        + dirs);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidArgumentException("plugin spec", file.toString(), "cannot be read: " + e);
    }
  }

  private static String addr(Path file) {
    Object node;
    try {
      node = new Json().read(read(file));
    } catch (IOException e) {
      throw new InvalidArgumentException("plugin spec", file.toString(), "is not valid JSON");
    }
    String addr = Json.text(node, "Addr");
    if (addr.isBlank()) {
      throw new InvalidArgumentException("plugin spec", file.toString(),
          "has no \"Addr\" string");
    }
    return addr;
  }
}
