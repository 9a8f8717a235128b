package io.stowage;

import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Volumes of one service: a configured storage driver with the service's settings. Every
 * blocking call has a bounded wait.
 *
 * <p>Wherever a volume is named, a reference is accepted: {@code name:<name>},
 * {@code id:<back-end ID>}, or a bare text. A bare text that has the shape of the driver's IDs
 * ({@link io.stowage.spi.StorageDriverProvider#volumeIdPattern()}) is looked up as a name and as
 * an ID, and if it is the name of one volume and the ID of another the call fails with an
 * {@link io.stowage.exception.AmbiguousVolumeException}, never a guess; any other bare text is a
 * name. A new volume's name may not have the shape of an ID.
 *
 * <p>Thread-safe: calls for different volumes run in parallel; calls for one volume are
 * serialised by a per-volume lock that also holds across processes on one host.
 */
public interface VolumeService {
  /**
   * Returns the name of this service, under which its mounts are recorded on the host. A
   * driver's own service has the driver's name, which is what this returns unless overridden.
   *
   * @return the service name
   */
  default String serviceName() {
    return driverName();
  }

  /**
   * Returns the name of the driver behind this service.
   *
   * @return the driver name
   */
  String driverName();

  /**
   * Returns what the driver can do.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Returns the instance this process runs on.
   *
   * @return the local instance
   */
  Instance localInstance();

  /**
   * Lists every volume of the driver.
   *
   * @return the volumes, sorted by name
   */
  List<Volume> list();

  /**
   * Finds a volume by name or back-end ID.
   *
   * @param volume the name or ID
   * @return the volume, if it exists
   * @throws io.stowage.exception.InvalidArgumentException when the reference is malformed
   */
  Optional<Volume> find(String volume);

  /**
   * Creates a volume. The options are merged over the configured defaults.
   *
   * @param name the new volume's name
   * @param options the options
   * @return the volume
   * @throws io.stowage.exception.VolumeAlreadyExistsException when the name is taken
   * @throws io.stowage.exception.UnsupportedCapabilityException when an option needs a
   *     capability the driver lacks
   * @throws io.stowage.exception.OperationDisabledException when create is disabled
   */
  Volume create(String name, VolumeOptions options);

  /**
   * Removes a volume.
   *
   * @param volume the name or ID
   * @param force detach it from every instance first; without it an attached volume is refused
   * @throws io.stowage.exception.VolumeNotFoundException when it does not exist
   * @throws io.stowage.exception.VolumeInUseException when it is attached and {@code force} is
   *     false, or mounted on this host
   * @throws io.stowage.exception.OperationDisabledException when remove is disabled
   */
  void remove(String volume, boolean force);

  /**
   * Attaches a volume to the local instance, without mounting it.
   *
   * @param volume the name or ID
   * @param preempt force-detach it from another instance first
   * @return the attachment
   * @throws io.stowage.exception.VolumeInUseException when it is attached elsewhere and
   *     {@code preempt} is false
   */
  Attachment attach(String volume, boolean preempt);

  /**
   * Attaches a volume to another instance (drivers with
   * {@link Capability#ATTACH_OTHER_INSTANCE}).
   *
   * @param volume the name or ID
   * @param instance the instance
   * @param preempt force-detach it from any other instance first
   * @return the attachment
   */
  Attachment attach(String volume, InstanceId instance, boolean preempt);

  /**
   * Detaches a volume from the local instance. A volume that is not attached here is left as
   * it is.
   *
   * @param volume the name or ID
   * @param force detach even if it is mounted on this host
   * @throws io.stowage.exception.VolumeInUseException when it is mounted here and
   *     {@code force} is false
   */
  void detach(String volume, boolean force);

  /**
   * Detaches a volume from an instance.
   *
   * @param volume the name or ID
   * @param instance the instance
   * @param force detach by force
   */
  void detach(String volume, InstanceId instance, boolean force);

  /**
   * Mounts a volume for a caller, creating, attaching and formatting it as needed, and
   * returns the data directory. Idempotent per caller.
   *
   * @param volume the name or ID
   * @param request the caller, options, preemption and timeout
   * @return the mount
   */
  Mount mount(String volume, MountRequest request);

  /**
   * Removes a caller's use of a volume; the last use unmounts and detaches it.
   *
   * @param volume the name or ID
   * @param request the caller and the used-count rule
   */
  void unmount(String volume, UnmountRequest request);

  /**
   * Returns the data directory of a volume mounted on this host.
   *
   * @param volume the name or ID
   * @return the path, if the volume is mounted here
   */
  Optional<Path> path(String volume);

  /**
   * Grows a volume to an absolute size. The back end grows the volume; when it is mounted on
   * this host, the call waits until the host sees the device's new size and grows its file
   * system online ({@code resize2fs} for ext, {@code xfs_growfs} for xfs), without an unmount.
   * A volume that is not mounted here gets its file system grown at its next mount. A crash
   * between the back end's grow and the file system's is finished when Stowage next opens.
   *
   * @param volume the name or ID
   * @param size the new size; the back end may round it up
   * @return the volume at its new size
   * @throws io.stowage.exception.InvalidArgumentException when the size is smaller than the
   *     volume's (volumes only grow); nothing was changed
   * @throws io.stowage.exception.UnsupportedCapabilityException naming
   *     {@link Capability#RESIZE} when the driver cannot grow volumes, or
   *     {@link Capability#ONLINE_RESIZE} when the volume is mounted here and the driver cannot
   *     grow it while attached; nothing was changed
   * @throws io.stowage.exception.VolumeNotFoundException when it does not exist
   * @throws io.stowage.exception.OperationTimeoutException when the device does not show the
   *     new size in time; the grow is finished when Stowage next opens
   */
  Volume resize(String volume, ByteSize size);

  /**
   * Returns the snapshots of this service's volumes.
   *
   * @return the snapshot service
   */
  SnapshotService snapshots();
}
