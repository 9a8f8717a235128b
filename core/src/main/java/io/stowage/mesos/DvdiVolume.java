package io.stowage.mesos;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One volume a Mesos task asks for, as {@link DvdiVolumes} reads it from the task's DVDI
 * environment or Marathon app. Immutable.
 *
 * @param name the volume's name
 * @param driver the volume driver it names: a service's name, REX-Ray's {@code rexray} (the
 *     default, which means the default service), or a Docker plugin's name
 * @param options the volume options as given, {@code key=value} in order; their values are
 *     checked by {@link #volumeOptions(Set)} against the driver's options
 * @param containerPath where the volume appears inside the container, if anywhere
 * @param explicitCreate whether the volume must exist already: mounting does not create it
 * @param source where it was declared: the variable of its name, such as
 *     {@code DVDI_VOLUME_NAME1}, or its path in the app, such as
 *     {@code container.volumes[0].external}
 */
public record DvdiVolume(String name, String driver, Map<String, String> options,
    Optional<Path> containerPath, boolean explicitCreate, String source) {

  /**
   * Validates the volume and copies its options, keeping their order.
   *
   * @param name the volume's name
   * @param driver the volume driver it names
   * @param options the volume options as given
   * @param containerPath where the volume appears inside the container, if anywhere
   * @param explicitCreate whether the volume must exist already
   * @param source where it was declared
   * @throws InvalidArgumentException when the name is not a volume name or the container path
   *     not absolute
   */
  public DvdiVolume {
    VolumeName.of(name);
    Objects.requireNonNull(driver, "driver");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    Objects.requireNonNull(containerPath, "containerPath");
    containerPath.filter(p -> !p.isAbsolute()).ifPresent(p -> {
      throw new InvalidArgumentException("container path", p.toString(),
          "must be an absolute path");
    });
    Objects.requireNonNull(source, "source");
  }

  /**
   * Parses the options for the driver that serves the volume: the options every driver knows,
   * and the driver's own. A problem names the variable or app field they came from.
   *
   * @param driverKeys the options the driver understands beyond the common ones, lower case
   * @return the typed options
   * @throws InvalidArgumentException naming where the options came from and what is wrong
   */
  public VolumeOptions volumeOptions(Set<String> driverKeys) {
    try {
      return VolumeOptions.parse(options, driverKeys);
    } catch (InvalidArgumentException e) {
      throw InvalidArgumentException.withoutValue(optionsSource(), e.getMessage());
    }
  }

  /** Where the options came from: the options variable of the name's slot, or the app field. */
  String optionsSource() {
    int at = source.indexOf(DvdiVolumes.NAME);
    if (at >= 0) {
      return source.substring(0, at) + DvdiVolumes.OPTS
          + source.substring(at + DvdiVolumes.NAME.length());
    }
    return source + ".options";
  }
}
