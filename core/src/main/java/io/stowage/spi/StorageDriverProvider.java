package io.stowage.spi;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.model.Capability;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names a storage driver, declares what it can do and how it is configured, and creates it.
 * Found through {@link java.util.ServiceLoader} under
 * {@code META-INF/services/io.stowage.spi.StorageDriverProvider} (or {@code provides} in a
 * module), or passed explicitly to {@code Stowage.builder().provider(...)}.
 *
 * <p>A provider is cheap and stateless: its constructor and every method but {@link #create}
 * do no I/O, so that listing installed drivers and checking a configuration never touch a back
 * end. Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface StorageDriverProvider {
  /**
   * The rule every driver name follows, so that a name is the same key in a configuration
   * file, an environment variable prefix ({@code NAME_SETTING}), a state file and a socket
   * name.
   */
  String NAME_RULE = "a lower-case letter followed by at most 31 lower-case letters or digits";

  /**
   * Checks a driver name against {@link #NAME_RULE}.
   *
   * @param name the name
   * @return the name
   * @throws InvalidArgumentException quoting the rule when the name breaks it
   */
  static String requireValidName(String name) {
    if (!isValidName(name)) {
      throw new InvalidArgumentException("storage driver name", name, "must be " + NAME_RULE);
    }
    return name;
  }

  /**
   * Returns whether a string follows {@link #NAME_RULE}.
   *
   * @param name the string, possibly null
   * @return true when {@link #requireValidName} would accept it
   */
  static boolean isValidName(String name) {
    return name != null && name.matches("[a-z][a-z0-9]{0,31}");
  }

  /**
   * Returns the driver's name, as the configuration's {@code storageDrivers} list gives it.
   *
   * @return a name that follows {@link #NAME_RULE}, such as {@code ebs}, {@code virtualbox} or
   *     {@code fake}
   */
  String name();

  /**
   * Returns what the driver can do; the contract kit verifies the declaration.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Returns the record the driver's section binds to ({@link DriverConfig#bind}). Its
   * components declare the section's keys, their defaults ({@link Default}), which are
   * required and which are secrets ({@link Secret}), so that a configuration can be checked
   * and shown without creating the driver.
   *
   * @return the settings record class
   */
  Class<? extends Record> settingsType();

  /**
   * Returns other root keys the driver's section may be written under, such as REX-Ray's
   * {@code ec2} and {@code aws} for {@code ebs}. The section under the driver's own name wins
   * over an alias.
   *
   * @return lower-case keys, the one that wins first; none by default
   */
  default List<String> sectionAliases() {
    return List.of();
  }

  /**
   * Returns the shape of the driver's volume IDs, such as {@code vol-[0-9a-f]{8,17}}. A name of
   * that shape is refused when a volume is created, and a reference of that shape is looked up
   * both as a name and as an ID (two volumes answering is an
   * {@link io.stowage.exception.AmbiguousVolumeException}, never a guess); any other reference
   * is a name and costs one lookup. Without a declared shape every reference is looked up both
   * ways.
   *
   * @return the pattern a whole ID matches; empty when IDs may look like anything
   */
  default Optional<Pattern> volumeIdPattern() {
    return Optional.empty();
  }

  /**
   * Returns the volume options this driver understands beyond the common ones.
   *
   * @return lower-case option names; none by default
   */
  default Set<String> volumeOptionKeys() {
    return Set.of();
  }

  /**
   * Returns the kinds of host the driver works with. The core refuses to build a
   * {@code Stowage} whose host is of another kind, before the driver is created.
   *
   * @return the host kinds; the real Linux host only, by default
   */
  default Set<HostOs.Kind> hostKinds() {
    return EnumSet.of(HostOs.Kind.LINUX);
  }

  /**
   * Checks, step by step, whether the driver can work with these settings on this host, for
   * {@code stowage doctor}: whether the back end answers, the credentials work, the local
   * instance is found. Each step is reported, passed or failed, and a failed step that others
   * depend on ends the list. Nothing is created or changed on the back end. The default opens
   * the driver and closes it again, as one step.
   *
   * @param config the driver's own configuration section
   * @param context what the SDK lends the driver
   * @return the steps, in order
   */
  default List<Diagnosis> diagnose(DriverConfig config, DriverContext context) {
    try (StorageDriver driver = create(config, context)) {
      return List.of(Diagnosis.passed("opens", "local instance "
          + driver.localInstance().id().value()));
    } catch (StowageException e) {
      return List.of(Diagnosis.failed("opens", e.getMessage()));
    }
  }

  /**
   * Creates the driver. This is where a driver binds its settings, connects and identifies
   * the local instance.
   *
   * @param config the driver's own configuration section
   * @param context what the SDK lends the driver: clock, state directory, host, commands
   * @return the driver, which the caller closes
   * @throws io.stowage.exception.ConfigurationException when the settings are invalid, or do
   *     not fit the host (naming the setting to change)
   * @throws io.stowage.exception.BackendException when the back end cannot be reached
   */
  StorageDriver create(DriverConfig config, DriverContext context);
}
