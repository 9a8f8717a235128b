package io.stowage.config;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One named service: a storage driver with its own volume and driver settings, and the plugin
 * socket it is served on. A configuration declares services as {@code stowage.services.<name>},
 * libStorage's {@code libstorage.server.services.<name>} or REX-Ray's
 * {@code rexray.modules.<name>}; every driver in {@code storageDrivers} is also a service of
 * its own name. Immutable.
 *
 * @param name the service's name, which follows {@link #NAME_RULE}
 * @param driver the name of its storage driver
 * @param aliases other names it answers to: the REX-Ray modules that serve it, such as
 *     {@code default-docker}
 * @param socket the unix socket the Docker volume plugin protocol is served on for it; empty
 *     when it is not served on a socket of its own (a driver's implicit service other than the
 *     default, or the default service when {@code default-docker} is disabled)
 * @param spec the Docker plugin spec file the configuration names for it, if any
 * @param description the configuration's description of it, if any
 * @param volumes its volume settings, overrides applied
 * @param driverSection its driver's settings, overrides applied; the very instance of
 *     {@link StowageConfig#driverSection(String)} when it overrides none of them, so that
 *     services that share a driver's settings share one driver
 */
public record ServiceConfig(
    String name,
    String driver,
    List<String> aliases,
    Optional<Path> socket,
    Optional<Path> spec,
    Optional<String> description,
    VolumeSettings volumes,
    DriverConfig driverSection) {

  /**
   * The rule every service name follows. It is a file name in the state directory and a socket
   * name, and every driver name follows it too.
   */
  public static final String NAME_RULE =
      "a lower-case letter followed by at most 63 lower-case letters, digits or '-'";

  /** Where Docker looks for plugin sockets. */
  public static final Path SOCKET_DIRECTORY = Path.of("/run/docker/plugins");

  /** The default service's socket when the configuration names none. */
  public static final Path DEFAULT_SOCKET = SOCKET_DIRECTORY.resolve("stowage.sock");

  /**
   * Validates the service and copies its aliases.
   *
   * @param name the service's name
   * @param driver the name of its storage driver
   * @param aliases other names it answers to
   * @param socket the unix socket it is served on, if any
   * @param spec the Docker plugin spec file the configuration names for it, if any
   * @param description the configuration's description of it, if any
   * @param volumes its volume settings
   * @param driverSection its driver's settings
   * @throws InvalidArgumentException when a name breaks its rule or a path is not absolute
   */
  public ServiceConfig {
    requireValidName(name);
    StorageDriverProvider.requireValidName(driver);
    aliases = List.copyOf(aliases);
    aliases.forEach(ServiceConfig::requireValidName);
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(volumes, "volumes");
    Objects.requireNonNull(driverSection, "driverSection");
    socket.ifPresent(p -> requireAbsolute("socket", p));
    spec.ifPresent(p -> requireAbsolute("spec", p));
    if (!driverSection.driverName().equals(driver)) {
      throw new InvalidArgumentException("driverSection", driverSection.driverName(),
          "must be the section of the service's driver " + driver);
    }
  }

  /**
   * Checks a service name against {@link #NAME_RULE}.
   *
   * @param name the name
   * @return the name
   * @throws InvalidArgumentException quoting the rule when the name breaks it
   */
  public static String requireValidName(String name) {
    if (!isValidName(name)) {
      throw new InvalidArgumentException("service name", name, "must be " + NAME_RULE);
    }
    return name;
  }

  /**
   * Returns whether a string follows {@link #NAME_RULE}.
   *
   * @param name the string, possibly null
   * @return true when {@link #requireValidName} would accept it
   */
  public static boolean isValidName(String name) {
    return name != null && name.matches("[a-z][a-z0-9-]{0,63}");
  }

  /**
   * Returns whether the service answers to a name: its own or one of its aliases.
   *
   * @param candidate the name asked for
   * @return true when it is the service's name or an alias
   */
  public boolean answersTo(String candidate) {
    return name.equals(candidate) || aliases.contains(candidate);
  }

  /**
   * Returns the plugin name Docker knows the service by: its socket's file name without
   * {@code .sock}, as in {@code docker run --volume-driver=<plugin name>}.
   *
   * @return the plugin name, when the service has a socket
   */
  public Optional<String> pluginName() {
    return socket.map(p -> p.getFileName().toString())
        .map(f -> f.endsWith(".sock") ? f.substring(0, f.length() - ".sock".length()) : f);
  }

  private static void requireAbsolute(String field, Path path) {
    if (!path.isAbsolute()) {
      throw new InvalidArgumentException(field, path.toString(), "must be an absolute path");
    }
  }
}
