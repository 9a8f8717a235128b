package io.stowage.tck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stowage.Hosts;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.FsType;
import io.stowage.model.InstanceId;
import io.stowage.model.MountRequest;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.Capabilities;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.Resizer;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every storage driver keeps. A driver's test is a short subclass that supplies
 * its provider, the settings of a fresh, isolated back end, the host its local devices appear
 * on and, when the driver can attach volumes to other instances, the ID of another instance:
 *
 * <pre>{@code
 * class FakeDriverContractTest extends StorageDriverContractTest {
 *   @TempDir Path dir;
 *   protected StorageDriverProvider provider() { return new FakeDriverProvider(); }
 *   protected Map<String, ?> settings() { return Map.of("root", dir.resolve("store")); }
 *   protected HostOs host() { return new SimulatedHost(dir.resolve("host")); }
 *   protected Optional<InstanceId> otherInstance() { return Optional.of(InstanceId.of("b")); }
 * }
 * }</pre>
 *
 * <p>Each test creates the driver from {@link #config()} with a context on {@link #host()}
 * and closes it afterwards. The suite asserts the errors {@code docs/writing-a-driver.md}
 * documents for each operation; where the driver lacks a capability it asserts the
 * documented {@link UnsupportedCapabilityException} instead of skipping. Devices are awaited
 * with {@link DeviceLocator#await}, formatted and mounted on the host, and one test builds a
 * {@link Stowage} over the driver to measure the driver calls of a mount and an unmount.
 *
 * <p>The optional features are checked where the driver declares them, and their refusal where
 * it does not: snapshots ({@link Capability#SNAPSHOTS}, {@link Capability#COPY_SNAPSHOT}),
 * volumes from snapshots and copies of volumes, whose data the suite writes on a file system
 * through the host and reads back from the new volume, and growing volumes
 * ({@link Capability#RESIZE}, {@link Capability#ONLINE_RESIZE}). Every test removes the
 * snapshots and volumes it created. Volume and snapshot names start with {@code tck-}.
 */
public abstract class StorageDriverContractTest {
  /** The driver under test, created before each test and closed after it. */
  protected StorageDriver driver;

  /** The file the data tests write on a volume and read back from its snapshot or copy. */
  private static final String MARKER_FILE = "tck-marker.txt";

  private final List<VolumeId> created = new ArrayList<>();
  private final Map<SnapshotId, Snapshots> snapshotsTaken = new LinkedHashMap<>();

  /** Where a test keeps its state, mount points and mounts; removed after it. */
  @TempDir
  private Path workDirectory;

  /** The host of the running test, from {@link #host()}. */
  private HostOs hostOs;

  /** Creates the suite. */
  protected StorageDriverContractTest() {}

  /**
   * Returns the provider of the driver under test.
   *
   * @return a provider instance
   */
  protected abstract StorageDriverProvider provider();

  /**
   * Returns the settings of the driver's section for a fresh, isolated back end, keyed as in
   * the driver's settings record. The suite builds {@link #config()} from them, and gives them
   * to the {@link Stowage} it builds, as {@code <driver>.<key>}.
   *
   * @return the settings; values as {@link DriverConfig#of(String, Map)} takes them
   */
  protected abstract Map<String, ?> settings();

  /**
   * Returns the driver's section, built from {@link #settings()} under the provider's name.
   *
   * @return the section
   */
  protected DriverConfig config() {
    return DriverConfig.of(provider().name(), settings());
  }

  /**
   * Returns the host the driver's local devices appear on: the suite creates the driver with
   * it, and formats and mounts its devices through it. Called once per test. A driver of real
   * block devices returns {@code Hosts.linux()} (and asserts it runs as root); a driver of
   * simulated devices a simulated host such as the fake driver's {@code SimulatedHost}.
   *
   * @return the host
   */
  protected abstract HostOs host();

  /**
   * Returns the context to create the driver with.
   *
   * @param host the host of this test, from {@link #host()}
   * @return the system clock, a state directory under the test's temporary directory, the
   *     host and the real command runner, unless overridden
   */
  protected DriverContext context(HostOs host) {
    return new DriverContext(Clock.systemUTC(), workDirectory.resolve("driver-state"), host,
        Hosts.commands());
  }

  /**
   * Returns the ID of an instance other than the local one, for the cross-instance tests.
   * Required when the driver has {@link Capability#ATTACH_OTHER_INSTANCE}.
   *
   * @return the other instance, or empty
   */
  protected Optional<InstanceId> otherInstance() {
    return Optional.empty();
  }

  /**
   * Returns how long to wait for the local device of an attachment to appear, and for a mount.
   *
   * @return the wait; 30 seconds unless overridden
   */
  protected Duration deviceTimeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * Returns the size of the volumes the suite creates.
   *
   * @return 1 GiB unless overridden
   */
  protected ByteSize volumeSize() {
    return ByteSize.ofGiB(1);
  }

  /**
   * Returns options that need one capability, with values the back end accepts. The
   * defaults: {@code iops=100}, {@code volumetype=tck-type}, {@code availabilityzone} the local
   * instance's zone (else {@code tck-zone-a}), {@code encrypted=true},
   * {@code snapshotid=tck-missing-snapshot} (asked only of a driver that lacks
   * {@link Capability#CREATE_FROM_SNAPSHOT}: for one that has it the suite takes a snapshot of
   * {@code source} and creates from that), {@code volumeid} of {@code source}. A driver whose
   * back end checks these values overrides this.
   *
   * @param capability the capability
   * @param source a volume the suite created, for copies
   * @return the options (the suite adds the size)
   */
  protected Map<String, String> optionsNeeding(Capability capability, Volume source) {
    return switch (capability) {
      case IOPS -> Map.of("iops", "100");
      case VOLUME_TYPES -> Map.of("volumetype", "tck-type");
      case AVAILABILITY_ZONES -> Map.of("availabilityzone",
          driver.localInstance().availabilityZone().orElse("tck-zone-a"));
      case ENCRYPTION -> Map.of("encrypted", "true");
      case CREATE_FROM_SNAPSHOT -> Map.of("snapshotid", "tck-missing-snapshot");
      case COPY_VOLUME -> Map.of("volumeid", source.id().value());
      case FORCE_DETACH, ATTACH_OTHER_INSTANCE, SNAPSHOTS, COPY_SNAPSHOT, RESIZE, ONLINE_RESIZE ->
          Map.of();
    };
  }

  /**
   * Returns a region of the back end other than the driver's, for the copies of snapshots.
   * Required when the driver has {@link Capability#COPY_SNAPSHOT}.
   *
   * @return the region, or empty
   */
  protected Optional<String> otherRegion() {
    return Optional.empty();
  }

  /**
   * Returns a region the back end does not have, to which a copy must be refused.
   *
   * @return {@code xx-nowhere-9} unless overridden
   */
  protected String missingRegion() {
    return "xx-nowhere-9";
  }

  /**
   * Returns a snapshot ID that does not exist in the back end.
   *
   * @return an ID of the back end's form; by default {@code tck-missing-snapshot-<random hex>}
   */
  protected SnapshotId missingSnapshotId() {
    return SnapshotId.of("tck-missing-snapshot-" + hex());
  }

  /**
   * Returns how long to wait for a snapshot to complete.
   *
   * @return 60 seconds unless overridden
   */
  protected Duration snapshotTimeout() {
    return Duration.ofSeconds(60);
  }

  /**
   * Returns a volume ID that does not exist in the back end.
   *
   * @return an ID of the back end's form; by default {@code tck-missing-<random hex>}
   */
  protected VolumeId missingVolumeId() {
    return VolumeId.of("tck-missing-" + hex());
  }

  /** Creates the driver on the test's host. */
  @BeforeEach
  protected void createDriver() {
    hostOs = host();
    assertNotNull(hostOs, "host() returned null");
    driver = provider().create(config(), context(hostOs));
    assertNotNull(driver, "provider().create returned null");
  }

  /** Removes every snapshot and volume the test created and closes the driver. */
  @AfterEach
  protected void cleanUp() {
    if (driver == null) {
      return;
    }
    try {
      snapshotsTaken.forEach((id, where) -> {
        if (where.find(id).isPresent()) {
          where.remove(id);
        }
      });
      for (VolumeId id : created) {
        Optional<Volume> volume = driver.find(id);
        if (volume.isEmpty()) {
          continue;
        }
        for (Attachment a : volume.get().attachments()) {
          driver.detach(id, a.instanceId(), false);
        }
        driver.remove(id);
      }
    } finally {
      created.clear();
      snapshotsTaken.clear();
      driver.close();
    }
  }

  // ---------------------------------------------------------------- registration

  /** The provider is found through ServiceLoader by its name. */
  @Test
  protected void providerIsRegisteredWithServiceLoader() {
    String name = provider().name();
    List<StorageDriverProvider> found = ServiceLoader.load(StorageDriverProvider.class)
        .stream().map(ServiceLoader.Provider::get).filter(p -> p.name().equals(name)).toList();
    assertEquals(1, found.size(), "providers named " + name + " found by ServiceLoader");
    assertEquals(provider().getClass(), found.get(0).getClass());
  }

  /** The provider's name follows {@link StorageDriverProvider#NAME_RULE}. */
  @Test
  protected void providerNameFollowsNameRule() {
    String name = provider().name();
    assertDoesNotThrow(() -> StorageDriverProvider.requireValidName(name),
        () -> "driver name " + InvalidArgumentException.quote(name) + " must be "
            + StorageDriverProvider.NAME_RULE);
  }

  /**
   * The provider declares the shape of its volume IDs, and the IDs it creates have it: the
   * core tells names and IDs apart by it, and a mount by name costs one lookup only when the
   * name cannot be an ID.
   */
  @Test
  protected void volumeIdsHaveTheDeclaredShape() {
    Optional<Pattern> shape = provider().volumeIdPattern();
    assertTrue(shape.isPresent(), "the provider declares volumeIdPattern()");
    Volume volume = create(newName(), Map.of());
    assertTrue(shape.get().matcher(volume.id().value()).matches(), "volume ID "
        + volume.id() + " has the declared shape " + shape.get().pattern());
    assertFalse(shape.get().matcher(volume.name().value()).matches(),
        "the kit's names cannot be IDs");
  }

  /** The driver reports its provider's name. */
  @Test
  protected void driverNameMatchesProvider() {
    assertEquals(provider().name(), driver.name());
  }

  /** The provider declares exactly the driver's capabilities. */
  @Test
  protected void providerDeclaresTheDriversCapabilities() {
    assertEquals(provider().capabilities(), driver.capabilities());
  }

  /** The local instance is stable. */
  @Test
  protected void localInstanceIsStable() {
    assertNotNull(driver.localInstance());
    assertEquals(driver.localInstance(), driver.localInstance());
  }

  // ---------------------------------------------------------------- create, find, remove

  /** A created volume is found by ID, by name and in the list, and is gone after remove. */
  @Test
  protected void createFindListRemove() {
    VolumeName name = newName();
    Volume volume = create(name, Map.of());
    assertEquals(name, volume.name());
    assertTrue(volume.size().compareTo(volumeSize()) >= 0, "size " + volume.size()
        + " is at least " + volumeSize());
    assertTrue(volume.attachments().isEmpty(), "a new volume is not attached");

    assertEquals(Optional.of(volume.id()), driver.find(volume.id()).map(Volume::id));
    assertEquals(name, driver.find(volume.id()).orElseThrow().name());
    assertEquals(List.of(volume.id()), driver.findByName(name).stream().map(Volume::id)
        .toList());
    assertTrue(driver.list().stream().anyMatch(v -> v.id().equals(volume.id())),
        "list contains the new volume");

    driver.remove(volume.id());
    assertTrue(driver.find(volume.id()).isEmpty(), "find after remove is empty");
    assertTrue(driver.findByName(name).isEmpty(), "findByName after remove is empty");
    assertFalse(driver.list().stream().anyMatch(v -> v.id().equals(volume.id())),
        "list after remove does not contain the volume");
  }

  /** Creating a name that exists is a VolumeAlreadyExistsException and creates nothing. */
  @Test
  protected void createWithExistingNameFails() {
    VolumeName name = newName();
    Volume first = create(name, Map.of());
    VolumeAlreadyExistsException e = assertThrows(VolumeAlreadyExistsException.class,
        () -> create(name, Map.of()), "create of a name that exists");
    assertEquals(name.value(), e.volume());
    assertEquals(List.of(first.id()), driver.findByName(name).stream().map(Volume::id)
        .toList());
  }

  /** Finding an ID or a name that does not exist is empty, not an error. */
  @Test
  protected void findMissingIsEmpty() {
    assertTrue(driver.find(missingVolumeId()).isEmpty());
    assertTrue(driver.findByName(newName()).isEmpty());
  }

  /** Removing, attaching or detaching a missing volume is a VolumeNotFoundException. */
  @Test
  protected void missingVolumeIsNotFound() {
    VolumeId missing = missingVolumeId();
    assertNotFound(missing, () -> driver.remove(missing), "remove");
    assertNotFound(missing, () -> driver.attach(missing, local(), false), "attach");
    assertNotFound(missing, () -> driver.detach(missing, local(), false), "detach");
  }

  // ---------------------------------------------------------------- attach and detach

  /**
   * Attaching to this instance gives a device that {@link DeviceLocator#await} finds and
   * {@link DeviceLocator#locate} then returns as a path that exists; detach removes the
   * attachment.
   */
  @Test
  protected void attachAndDetachLocally() {
    Volume volume = create(newName(), Map.of());
    Attachment attachment = driver.attach(volume.id(), local(), false);
    assertEquals(volume.id(), attachment.volumeId());
    assertEquals(local(), attachment.instanceId());
    assertTrue(driver.find(volume.id()).orElseThrow().attachmentTo(local()).isPresent(),
        "the volume reports its attachment to the local instance");
    awaitDevice(attachment);

    driver.detach(volume.id(), local(), false);
    Volume after = driver.find(volume.id()).orElseThrow();
    assertTrue(after.attachments().isEmpty(), "no attachment after detach: "
        + after.attachments());
  }

  /** Attaching to the instance a volume is attached to returns that attachment again. */
  @Test
  protected void attachTwiceReturnsTheExistingAttachment() {
    Volume volume = create(newName(), Map.of());
    Attachment first = driver.attach(volume.id(), local(), false);
    Path device = awaitDevice(first);
    Attachment again = assertDoesNotThrow(() -> driver.attach(volume.id(), local(), false),
        "a second attach to the same instance");
    assertEquals(first, again, "a second attach returns the existing attachment");
    assertEquals(List.of(local()), instancesOf(volume), "still attached once");
    assertEquals(device, awaitDevice(again), "the same device");
  }

  /** Attaching to another instance works with ATTACH_OTHER_INSTANCE and is refused without. */
  @Test
  protected void attachToAnotherInstance() {
    Volume volume = create(newName(), Map.of());
    InstanceId other = other();
    if (!has(Capability.ATTACH_OTHER_INSTANCE)) {
      assertUnsupported(Capability.ATTACH_OTHER_INSTANCE,
          () -> driver.attach(volume.id(), other, false));
      return;
    }
    Attachment attachment = driver.attach(volume.id(), other, false);
    assertEquals(other, attachment.instanceId());
    Volume attached = driver.find(volume.id()).orElseThrow();
    assertTrue(attached.attachmentTo(other).isPresent());
    assertEquals(Optional.of(other), attached.attachmentElsewhere(local())
        .map(Attachment::instanceId));

    driver.detach(volume.id(), other, false);
    assertTrue(driver.find(volume.id()).orElseThrow().attachments().isEmpty());
  }

  /**
   * A volume attached elsewhere is not attached here without force: a VolumeInUseException
   * that names the instance holding it, and the volume stays there.
   */
  @Test
  protected void attachedElsewhereWithoutForceIsInUse() {
    Optional<Volume> attached = volumeAttachedElsewhere();
    if (attached.isEmpty()) {
      return;
    }
    Volume volume = attached.get();
    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> driver.attach(volume.id(), local(), false),
        "attach without force of a volume attached elsewhere");
    assertEquals(volume.name().value(), e.volume());
    assertEquals(other().value(), e.holder());
    assertTrue(e.getMessage().contains(other().value()), "the message names the instance: "
        + e.getMessage());
    assertEquals(List.of(other()), instancesOf(volume), "still attached there only");
  }

  /**
   * Attaching with force takes a volume over from another instance (preemption): afterwards
   * it is attached here only, and its device appears here.
   */
  @Test
  protected void forceAttachPreempts() {
    Optional<Volume> attached = volumeAttachedElsewhere();
    if (attached.isEmpty()) {
      return;
    }
    Volume volume = attached.get();
    if (!has(Capability.FORCE_DETACH)) {
      assertUnsupported(Capability.FORCE_DETACH, () -> driver.attach(volume.id(), local(),
          true));
      return;
    }
    Attachment attachment = driver.attach(volume.id(), local(), true);
    assertEquals(local(), attachment.instanceId());
    assertEquals(List.of(local()), instancesOf(volume), "attached here only after a takeover");
    awaitDevice(attachment);
  }

  /**
   * Detaching with force works with FORCE_DETACH and is refused without; a forced detach from
   * another instance really detaches it there.
   */
  @Test
  protected void forceDetach() {
    Volume volume = create(newName(), Map.of());
    driver.attach(volume.id(), local(), false);
    if (!has(Capability.FORCE_DETACH)) {
      assertUnsupported(Capability.FORCE_DETACH, () -> driver.detach(volume.id(), local(),
          true));
      driver.detach(volume.id(), local(), false);
      return;
    }
    driver.detach(volume.id(), local(), true);
    assertEquals(List.of(), instancesOf(volume), "attached nowhere after a forced detach");
    if (has(Capability.ATTACH_OTHER_INSTANCE)) {
      driver.attach(volume.id(), other(), false);
      driver.detach(volume.id(), other(), true);
      assertEquals(List.of(), instancesOf(volume),
          "attached nowhere after a forced detach from another instance");
    }
  }

  /**
   * A detach without force of a volume whose device is mounted on this host is refused with a
   * VolumeInUseException naming this instance, and leaves the volume attached; a forced
   * detach detaches it (or is refused for want of FORCE_DETACH).
   *
   * @throws IOException when the mount point cannot be created
   */
  @Test
  protected void detachOfAMountedDeviceNeedsForce() throws IOException {
    Volume volume = create(newName(), Map.of());
    Path device = awaitDevice(driver.attach(volume.id(), local(), false));
    Path mountPoint = Files.createDirectories(workDirectory.resolve("mounted")
        .resolve(volume.name().value()));
    hostOs.format(device, FsType.EXT4);
    hostOs.mount(device, mountPoint, FsType.EXT4);
    try {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> driver.detach(volume.id(), local(), false),
          "detach without force of a device mounted at " + mountPoint);
      assertEquals(volume.name().value(), e.volume());
      assertEquals(local().value(), e.holder());
      assertEquals(List.of(local()), instancesOf(volume), "still attached after the refusal");
      if (!has(Capability.FORCE_DETACH)) {
        assertUnsupported(Capability.FORCE_DETACH,
            () -> driver.detach(volume.id(), local(), true));
        return;
      }
      driver.detach(volume.id(), local(), true);
      assertEquals(List.of(), instancesOf(volume), "a forced detach detaches a mounted device");
    } finally {
      hostOs.unmount(mountPoint);
    }
  }

  /**
   * Removing an attached volume is a VolumeInUseException naming the instance it is attached
   * to, and leaves it in place.
   */
  @Test
  protected void removeAttachedIsInUse() {
    Volume volume = create(newName(), Map.of());
    driver.attach(volume.id(), local(), false);
    assertRemoveRefused(volume, local());
    driver.detach(volume.id(), local(), false);
    if (has(Capability.ATTACH_OTHER_INSTANCE)) {
      driver.attach(volume.id(), other(), false);
      assertRemoveRefused(volume, other());
      driver.detach(volume.id(), other(), false);
    }
    driver.remove(volume.id());
    assertTrue(driver.find(volume.id()).isEmpty());
  }

  private void assertRemoveRefused(Volume volume, InstanceId holder) {
    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> driver.remove(volume.id()), "remove of a volume attached to " + holder);
    assertEquals(volume.name().value(), e.volume());
    assertEquals(holder.value(), e.holder());
    assertEquals(List.of(holder), instancesOf(volume), "still attached after the refusal");
  }

  /**
   * Detaching a volume that is not attached to the instance succeeds and changes nothing,
   * also when it is attached to another instance.
   */
  @Test
  protected void detachOfUnattachedVolumeChangesNothing() {
    Volume volume = create(newName(), Map.of());
    Volume before = driver.find(volume.id()).orElseThrow();
    driver.detach(volume.id(), local(), false);
    if (has(Capability.ATTACH_OTHER_INSTANCE)) {
      driver.detach(volume.id(), other(), false);
    }
    Volume after = driver.find(volume.id()).orElseThrow();
    assertEquals(before.attachments(), after.attachments());
    assertEquals(before.status(), after.status());
    assertEquals(before.size(), after.size());

    if (has(Capability.ATTACH_OTHER_INSTANCE)) {
      driver.attach(volume.id(), other(), false);
      driver.detach(volume.id(), local(), false);
      assertEquals(List.of(other()), instancesOf(volume),
          "detaching from this instance leaves the attachment elsewhere");
    }
  }

  // ---------------------------------------------------------------- options and capabilities

  /**
   * For each optional capability: a driver that has it creates the volume and reports the
   * value back; a driver that lacks it refuses with UnsupportedCapabilityException naming the
   * capability and creates nothing.
   *
   * @return one test per capability
   */
  @TestFactory
  protected Stream<DynamicTest> optionsNeedingCapabilities() {
    return Stream.of(Capability.IOPS, Capability.VOLUME_TYPES, Capability.AVAILABILITY_ZONES,
        Capability.ENCRYPTION, Capability.CREATE_FROM_SNAPSHOT, Capability.COPY_VOLUME)
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkOption(c)));
  }

  private void checkOption(Capability capability) {
    boolean fromSource = capability == Capability.COPY_VOLUME
        || capability == Capability.CREATE_FROM_SNAPSHOT && has(capability);
    Volume source = fromSource ? create(newName(), Map.of()) : null;
    VolumeName name = newName();
    Map<String, String> options = capability == Capability.CREATE_FROM_SNAPSHOT
        && has(capability)
        ? Map.of("snapshotid", completedSnapshotOf(source).id().value())
        : optionsNeeding(capability, source);
    if (!has(capability)) {
      UnsupportedCapabilityException e = assertUnsupported(capability,
          () -> create(name, options));
      assertEquals(driver.name(), e.driver());
      assertTrue(driver.findByName(name).isEmpty(), "a refused create creates nothing");
      return;
    }
    Volume volume = create(name, options);
    VolumeOptions parsed = VolumeOptions.parse(options);
    switch (capability) {
      case IOPS -> assertEquals(parsed.iops(), volume.iops());
      case VOLUME_TYPES -> assertEquals(parsed.volumeType(), volume.volumeType());
      case AVAILABILITY_ZONES -> assertEquals(parsed.availabilityZone(),
          volume.availabilityZone());
      case ENCRYPTION -> assertTrue(volume.encrypted(), "the volume reports encryption");
      default -> assertEquals(name, driver.find(volume.id()).orElseThrow().name());
    }
    assertEquals(volume.id(), driver.find(volume.id()).orElseThrow().id());
  }

  /** Invalid names are rejected by the model, so the driver never sees one. */
  @Test
  protected void invalidNamesNeverReachTheDriver() {
    int before = driver.list().size();
    for (String bad : List.of("", " ", "../etc", "a/b", "-leading-dash", "a..b", "x y",
        "nul\0", "x".repeat(VolumeName.MAX_LENGTH + 1))) {
      assertThrows(InvalidArgumentException.class, () -> VolumeName.of(bad),
          () -> "name " + InvalidArgumentException.quote(bad));
    }
    assertEquals(before, driver.list().size(), "no volume was created");
    for (Volume v : driver.list()) {
      assertTrue(VolumeName.isLegal(v.name().value()), "listed name " + v.name());
    }
  }

  // ---------------------------------------------------------------- optional features

  /**
   * The optional features are present exactly where their capability is declared: snapshots
   * with {@link Capability#SNAPSHOTS}, the resizer with {@link Capability#RESIZE}; and the
   * capabilities that build on others come with them. A call through {@link Capabilities} to a
   * feature the driver lacks is refused naming the capability.
   */
  @Test
  protected void optionalFeaturesMatchTheCapabilities() {
    assertEquals(has(Capability.SNAPSHOTS), driver.snapshots().isPresent(),
        "snapshots() is present exactly when SNAPSHOTS is declared");
    assertEquals(has(Capability.RESIZE), driver.resizer().isPresent(),
        "resizer() is present exactly when RESIZE is declared");
    for (Capability[] needs : new Capability[][] {
        {Capability.CREATE_FROM_SNAPSHOT, Capability.SNAPSHOTS},
        {Capability.COPY_SNAPSHOT, Capability.SNAPSHOTS},
        {Capability.ONLINE_RESIZE, Capability.RESIZE}}) {
      assertTrue(!has(needs[0]) || has(needs[1]), needs[0] + " needs " + needs[1]);
    }
    if (!has(Capability.SNAPSHOTS)) {
      assertUnsupported(Capability.SNAPSHOTS, () -> Capabilities.snapshots(driver, "tck"));
    }
    if (!has(Capability.RESIZE)) {
      assertUnsupported(Capability.RESIZE, () -> Capabilities.resizer(driver, "tck"));
    }
    if (has(Capability.COPY_SNAPSHOT)) {
      assertTrue(otherRegion().isPresent(),
          "the driver has COPY_SNAPSHOT: the test must supply otherRegion()");
      assertTrue(driver.snapshots().orElseThrow().region().isPresent(),
          "a driver that copies snapshots between regions names its own");
    }
  }

  /**
   * A snapshot of a volume is taken with its name and tags, is found by ID, by name and in the
   * list, completes, and is gone after remove.
   */
  @Test
  protected void snapshotCreateFindListRemove() {
    if (!has(Capability.SNAPSHOTS)) {
      assertTrue(driver.snapshots().isEmpty(), "no snapshots without SNAPSHOTS");
      return;
    }
    Snapshots snapshots = driver.snapshots().orElseThrow();
    Volume volume = create(newName(), Map.of());
    SnapshotRequest request = new SnapshotRequest(newSnapshotName(),
        Map.of("tck-purpose", "contract"));
    Snapshot snapshot = takeSnapshot(snapshots, volume, request);
    assertEquals(request.name(), snapshot.name());
    assertEquals(Optional.of(volume.id()), snapshot.volumeId(), "the snapshot's volume");
    assertEquals(volume.size(), snapshot.size(), "a snapshot has its volume's size");
    assertEquals("contract", snapshot.tags().get("tck-purpose"), "tags: " + snapshot.tags());
    assertTrue(snapshot.status().phase() == SnapshotStatus.Phase.PENDING || snapshot.completed(),
        "a new snapshot is pending or complete: " + snapshot.status());
    assertEquals(snapshots.region(), snapshot.region());

    assertEquals(Optional.of(snapshot.id()), snapshots.find(snapshot.id()).map(Snapshot::id));
    assertEquals(List.of(snapshot.id()), snapshots.findByName(request.name()).stream()
        .map(Snapshot::id).toList());
    assertTrue(snapshots.list().stream().anyMatch(s -> s.id().equals(snapshot.id())),
        "list contains the new snapshot");
    Snapshot done = snapshots.await(snapshot.id(), snapshotTimeout());
    assertTrue(done.completed(), "await returns a complete snapshot: " + done.status());
    assertTrue(snapshots.find(snapshot.id()).orElseThrow().completed(),
        "find reports the snapshot complete after await");

    snapshots.remove(snapshot.id());
    assertTrue(snapshots.find(snapshot.id()).isEmpty(), "find after remove is empty");
    assertTrue(snapshots.findByName(request.name()).isEmpty(),
        "findByName after remove is empty");
    assertFalse(snapshots.list().stream().anyMatch(s -> s.id().equals(snapshot.id())),
        "list after remove does not contain the snapshot");
    assertTrue(driver.find(volume.id()).isPresent(), "removing a snapshot keeps its volume");
  }

  /**
   * A snapshot of a volume that does not exist is a VolumeNotFoundException and takes nothing;
   * finding a snapshot that does not exist is empty, and removing or awaiting it is a
   * SnapshotNotFoundException.
   */
  @Test
  protected void missingSnapshotsAndVolumesAreNotFound() {
    if (!has(Capability.SNAPSHOTS)) {
      assertTrue(driver.snapshots().isEmpty(), "no snapshots without SNAPSHOTS");
      return;
    }
    Snapshots snapshots = driver.snapshots().orElseThrow();
    VolumeId missingVolume = missingVolumeId();
    SnapshotName name = newSnapshotName();
    assertNotFound(missingVolume, () -> snapshots.create(missingVolume,
        new SnapshotRequest(name, Map.of())), "a snapshot");
    assertTrue(snapshots.findByName(name).isEmpty(), "a refused snapshot takes nothing");

    SnapshotId missing = missingSnapshotId();
    assertTrue(snapshots.find(missing).isEmpty(), "find of a missing snapshot");
    assertTrue(snapshots.findByName(newSnapshotName()).isEmpty(),
        "findByName of a name no snapshot has");
    assertSnapshotNotFound(missing.value(), () -> snapshots.remove(missing), "remove");
    assertSnapshotNotFound(missing.value(), () -> snapshots.await(missing, snapshotTimeout()),
        "await");
  }

  /**
   * A volume created from a snapshot (by ID, and by name) has the snapshot's size unless more
   * is asked, and the data written on the snapshotted volume's file system: the suite formats
   * and mounts the volume on the host, writes a file, takes the snapshot, then mounts the new
   * volume and reads the file back. A size smaller than the snapshot is an
   * InvalidArgumentException naming {@code size}, and a missing snapshot a
   * SnapshotNotFoundException; neither creates anything.
   *
   * @throws IOException when the file cannot be written or read
   */
  @Test
  protected void volumeFromSnapshotHasItsData() throws IOException {
    if (!has(Capability.CREATE_FROM_SNAPSHOT)) {
      assertUnsupported(Capability.CREATE_FROM_SNAPSHOT, () -> create(newName(),
          Map.of("snapshotid", missingSnapshotId().value())));
      return;
    }
    Snapshots snapshots = driver.snapshots().orElseThrow();
    Volume source = create(newName(), Map.of("size", twice(volumeSize())));
    String marker = writeMarker(source);
    Snapshot snapshot = snapshots.await(takeSnapshot(snapshots, source,
        new SnapshotRequest(newSnapshotName(), Map.of())).id(), snapshotTimeout());
    driver.detach(source.id(), local(), false);

    Volume restored = createExactly(newName(), Map.of("snapshotid", snapshot.id().value()));
    assertEquals(snapshot.size(), restored.size(), "a restore without size has the snapshot's");
    assertMarker(restored, marker);

    ByteSize larger = new ByteSize(snapshot.size().bytes() + volumeSize().bytes());
    Volume byName = createExactly(newName(), Map.of("snapshotname", snapshot.name().value(),
        "size", larger.toString()));
    assertTrue(byName.size().compareTo(larger) >= 0, "a restore by name of " + larger
        + " has size " + byName.size());

    VolumeName refused = newName();
    InvalidArgumentException small = assertThrows(InvalidArgumentException.class,
        () -> createExactly(refused, Map.of("snapshotid", snapshot.id().value(),
            "size", volumeSize().toString())),
        "a restore smaller than the snapshot");
    assertEquals("size", small.field());
    assertSnapshotNotFound(null, () -> createExactly(refused,
        Map.of("snapshotid", missingSnapshotId().value())), "a restore of a missing snapshot");
    assertSnapshotNotFound(null, () -> createExactly(refused,
        Map.of("snapshotname", newSnapshotName().value())), "a restore of a missing name");
    assertTrue(driver.findByName(refused).isEmpty(), "a refused restore creates nothing");
  }

  /**
   * A copy of a volume (by ID) has its size unless more is asked, and its data, written and
   * read back through the host as for a snapshot. A copy smaller than its source is an
   * InvalidArgumentException naming {@code size}, and a copy of a missing volume a
   * VolumeNotFoundException; neither creates anything.
   *
   * @throws IOException when the file cannot be written or read
   */
  @Test
  protected void copyOfAVolumeHasItsData() throws IOException {
    Volume source = create(newName(), Map.of("size", twice(volumeSize())));
    if (!has(Capability.COPY_VOLUME)) {
      assertUnsupported(Capability.COPY_VOLUME, () -> create(newName(),
          Map.of("volumeid", source.id().value())));
      return;
    }
    String marker = writeMarker(source);
    driver.detach(source.id(), local(), false);

    Volume copy = createExactly(newName(), Map.of("volumeid", source.id().value()));
    assertEquals(source.size(), copy.size(), "a copy without size has its source's");
    assertMarker(copy, marker);

    VolumeName refused = newName();
    InvalidArgumentException small = assertThrows(InvalidArgumentException.class,
        () -> createExactly(refused, Map.of("volumename", source.name().value(),
            "size", volumeSize().toString())),
        "a copy smaller than its source");
    assertEquals("size", small.field());
    VolumeId missing = missingVolumeId();
    assertNotFound(missing, () -> createExactly(refused, Map.of("volumeid", missing.value())),
        "a copy");
    assertTrue(driver.findByName(refused).isEmpty(), "a refused copy creates nothing");
  }

  /**
   * A complete snapshot is copied to {@link #otherRegion()}: the copy has the name and tags
   * asked, lives in that region only, completes there and is removed there. A copy to
   * {@link #missingRegion()} is an InvalidArgumentException and copies nothing. A driver with
   * snapshots but without {@link Capability#COPY_SNAPSHOT} refuses copies and other regions.
   */
  @Test
  protected void snapshotCopyToAnotherRegion() {
    if (!has(Capability.SNAPSHOTS)) {
      assertTrue(driver.snapshots().isEmpty(), "no snapshots without SNAPSHOTS");
      return;
    }
    Snapshots snapshots = driver.snapshots().orElseThrow();
    Volume volume = create(newName(), Map.of());
    Snapshot snapshot = snapshots.await(takeSnapshot(snapshots, volume,
        new SnapshotRequest(newSnapshotName(), Map.of())).id(), snapshotTimeout());
    SnapshotRequest request = new SnapshotRequest(newSnapshotName(),
        Map.of("tck-purpose", "copy"));
    if (!has(Capability.COPY_SNAPSHOT)) {
      String region = otherRegion().orElse("tck-other-region");
      assertUnsupported(Capability.COPY_SNAPSHOT, () -> snapshots.copy(snapshot.id(), region,
          request));
      assertUnsupported(Capability.COPY_SNAPSHOT, () -> snapshots.inRegion(region));
      assertTrue(snapshots.findByName(request.name()).isEmpty(), "a refused copy copies nothing");
      return;
    }
    String region = otherRegion().orElseThrow();
    Snapshots there = snapshots.inRegion(region);
    assertEquals(Optional.of(region), there.region());
    int before = there.list().size();
    assertThrows(InvalidArgumentException.class,
        () -> snapshots.copy(snapshot.id(), missingRegion(), request),
        "a copy to a region the back end does not have");
    assertThrows(InvalidArgumentException.class, () -> snapshots.inRegion(missingRegion()),
        "the snapshots of a region the back end does not have");
    assertSnapshotNotFound(null, () -> snapshots.copy(missingSnapshotId(), region, request),
        "a copy of a missing snapshot");
    assertEquals(before, there.list().size(), "a refused copy copies nothing");

    Snapshot copy = snapshots.copy(snapshot.id(), region, request);
    snapshotsTaken.put(copy.id(), there);
    assertEquals(Optional.of(region), copy.region());
    assertEquals(request.name(), copy.name());
    assertEquals("copy", copy.tags().get("tck-purpose"), "tags: " + copy.tags());
    assertTrue(snapshots.find(copy.id()).isEmpty(), "the copy is not in the source region");
    Snapshot done = there.await(copy.id(), snapshotTimeout());
    assertTrue(done.completed(), "the copy completes: " + done.status());
    assertEquals(snapshot.size(), done.size());
    assertEquals(List.of(copy.id()), there.findByName(request.name()).stream()
        .map(Snapshot::id).toList());
    assertTrue(snapshots.find(snapshot.id()).isPresent(), "the source stays");
    there.remove(copy.id());
    assertTrue(there.find(copy.id()).isEmpty(), "the copy is gone after remove");
  }

  /**
   * A volume attached nowhere grows to a larger size, and growing it to the size it has
   * changes nothing. Shrinking is an InvalidArgumentException naming {@code size} and keeps
   * the size; growing a missing volume is a VolumeNotFoundException.
   */
  @Test
  protected void growADetachedVolume() {
    if (!has(Capability.RESIZE)) {
      assertTrue(driver.resizer().isEmpty(), "no resizer without RESIZE");
      return;
    }
    Resizer resizer = driver.resizer().orElseThrow();
    Volume volume = create(newName(), Map.of());
    ByteSize larger = ByteSize.parse(twice(volumeSize()));
    Volume grown = resizer.grow(volume.id(), larger);
    assertTrue(grown.size().compareTo(larger) >= 0, "grown to " + grown.size() + ", asked "
        + larger);
    assertEquals(grown.size(), sizeOf(volume), "the volume reports its new size");
    assertEquals(grown.size(), resizer.grow(volume.id(), grown.size()).size(),
        "growing to the size it has");
    assertEquals(grown.size(), sizeOf(volume), "growing to the size it has changes nothing");

    InvalidArgumentException shrink = assertThrows(InvalidArgumentException.class,
        () -> resizer.grow(volume.id(), volumeSize()), "shrinking a volume");
    assertEquals("size", shrink.field());
    assertEquals(grown.size(), sizeOf(volume), "a refused shrink keeps the size");
    VolumeId missing = missingVolumeId();
    assertNotFound(missing, () -> resizer.grow(missing, larger), "a resize");
  }

  /**
   * A volume attached here grows with {@link Capability#ONLINE_RESIZE}, staying attached with
   * its device in place; without it, growing is a VolumeInUseException naming the volume and
   * keeps the size.
   */
  @Test
  protected void growAnAttachedVolume() {
    if (!has(Capability.RESIZE)) {
      assertTrue(driver.resizer().isEmpty(), "no resizer without RESIZE");
      return;
    }
    Resizer resizer = driver.resizer().orElseThrow();
    Volume volume = create(newName(), Map.of());
    Attachment attachment = driver.attach(volume.id(), local(), false);
    awaitDevice(attachment);
    ByteSize larger = ByteSize.parse(twice(volumeSize()));
    if (!has(Capability.ONLINE_RESIZE)) {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> resizer.grow(volume.id(), larger), "growing an attached volume");
      assertEquals(volume.name().value(), e.volume());
      assertEquals(volume.size(), sizeOf(volume), "a refused resize keeps the size");
    } else {
      Volume grown = resizer.grow(volume.id(), larger);
      assertTrue(grown.size().compareTo(larger) >= 0, "grown to " + grown.size() + ", asked "
          + larger);
      assertEquals(grown.size(), sizeOf(volume), "the volume reports its new size");
      assertEquals(List.of(local()), instancesOf(volume), "still attached here");
      awaitDevice(attachment);
    }
    driver.detach(volume.id(), local(), false);
  }

  // ---------------------------------------------------------------- call budget

  /**
   * The driver calls of mounts and unmounts, measured on a {@link Stowage} built over the
   * driver on {@link #host()}: a mount of an existing, detached volume costs one
   * {@code findByName} and one {@code attach}; a second mount by another caller one
   * {@code findByName}; an unmount that leaves a use none; the unmount of the last use one
   * {@code detach}. No other driver call is made.
   */
  @Test
  protected void mountAndUnmountCallBudget() {
    CallCounter calls = new CallCounter();
    Stowage.Builder builder = Stowage.builder()
        .discoverProviders(false)
        .provider(new CountingProvider(provider(), calls))
        .host(hostOs)
        .setting("stowage.storageDrivers", provider().name())
        .setting("stowage.volume.mount.root", workDirectory.resolve("volumes"))
        .setting("stowage.state.directory", workDirectory.resolve("stowage-state"));
    settings().forEach((key, value) -> builder.setting(provider().name() + "." + key, value));
    try (Stowage stowage = builder.build()) {
      VolumeService volumes = stowage.volumes();
      String name = newName().value();
      volumes.create(name, VolumeOptions.parse(Map.of("size", volumeSize().toString())));
      thenRemove(volumes, name, () -> {
        calls.take();
        volumes.mount(name, mountRequest("tck-first"));
        assertEquals(Map.of("attach", 1, "findByName", 1), calls.take(),
            "driver calls of a mount of an existing, detached volume");
        volumes.mount(name, mountRequest("tck-second"));
        assertEquals(Map.of("findByName", 1), calls.take(),
            "driver calls of a second mount, by another caller");
        volumes.unmount(name, UnmountRequest.caller("tck-second"));
        assertEquals(Map.of(), calls.take(), "driver calls of an unmount that leaves a use");
        volumes.unmount(name, UnmountRequest.caller("tck-first"));
        assertEquals(Map.of("detach", 1), calls.take(),
            "driver calls of the unmount of the last use");
      });
    }
  }

  /** Runs steps on a volume, then removes it by force, without hiding a failure of the steps. */
  private static void thenRemove(VolumeService volumes, String name, Runnable steps) {
    try {
      steps.run();
    } catch (Throwable failure) {
      try {
        volumes.remove(name, true);
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
      throw failure;
    }
    volumes.remove(name, true);
  }

  private MountRequest mountRequest(String caller) {
    return MountRequest.builder().caller(caller).timeout(deviceTimeout()).build();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Creates a volume of {@link #volumeSize()} and remembers it for clean-up.
   *
   * @param name the name
   * @param options options besides the size
   * @return the volume
   */
  protected Volume create(VolumeName name, Map<String, String> options) {
    Map<String, String> all = new HashMap<>(options);
    all.putIfAbsent("size", volumeSize().toString());
    Volume volume = driver.create(name, VolumeOptions.parse(all));
    created.add(volume.id());
    assertEquals(name, volume.name());
    return volume;
  }

  /**
   * Creates a volume with exactly these options (no default size) and remembers it.
   *
   * @param name the name
   * @param options the options
   * @return the volume
   */
  private Volume createExactly(VolumeName name, Map<String, String> options) {
    Volume volume = driver.create(name, VolumeOptions.parse(options));
    created.add(volume.id());
    assertEquals(name, volume.name());
    return volume;
  }

  /** Takes a snapshot and remembers it for clean-up. */
  private Snapshot takeSnapshot(Snapshots snapshots, Volume volume, SnapshotRequest request) {
    Snapshot snapshot = snapshots.create(volume.id(), request);
    snapshotsTaken.put(snapshot.id(), snapshots);
    return snapshot;
  }

  /** Takes a snapshot of a volume and waits until it is complete. */
  private Snapshot completedSnapshotOf(Volume volume) {
    Snapshots snapshots = driver.snapshots().orElseThrow(() -> new AssertionError(
        "the driver has CREATE_FROM_SNAPSHOT, so snapshots() must be present"));
    Snapshot snapshot = takeSnapshot(snapshots, volume,
        new SnapshotRequest(newSnapshotName(), Map.of()));
    return snapshots.await(snapshot.id(), snapshotTimeout());
  }

  /**
   * Attaches a volume here, makes an ext4 file system on its device, writes a file of random
   * text on it and unmounts it; the volume stays attached.
   */
  private String writeMarker(Volume volume) throws IOException {
    Path device = awaitDevice(driver.attach(volume.id(), local(), false));
    hostOs.format(device, FsType.EXT4);
    Path mountPoint = Files.createDirectories(workDirectory.resolve("written")
        .resolve(volume.name().value()));
    String marker = "tck " + volume.id() + " " + hex() + hex();
    hostOs.mount(device, mountPoint, FsType.EXT4);
    try {
      Files.writeString(mountPoint.resolve(MARKER_FILE), marker, StandardCharsets.UTF_8);
    } finally {
      hostOs.unmount(mountPoint);
    }
    return marker;
  }

  /**
   * Attaches a volume here, mounts the file system on its device, asserts the file
   * {@link #writeMarker} wrote holds the text, unmounts and detaches it.
   */
  private void assertMarker(Volume volume, String marker) throws IOException {
    Path device = awaitDevice(driver.attach(volume.id(), local(), false));
    Optional<String> type = hostOs.fileSystemType(device);
    assertEquals(Optional.of("ext4"), type, "the new volume " + volume.name()
        + " holds the file system of its source");
    Path mountPoint = Files.createDirectories(workDirectory.resolve("read")
        .resolve(volume.name().value()));
    hostOs.mount(device, mountPoint, FsType.EXT4);
    try {
      Path file = mountPoint.resolve(MARKER_FILE);
      assertTrue(Files.exists(file), "the new volume " + volume.name() + " has the file "
          + MARKER_FILE + " of its source");
      assertEquals(marker, Files.readString(file, StandardCharsets.UTF_8),
          "the file's content on the new volume");
    } finally {
      hostOs.unmount(mountPoint);
    }
    driver.detach(volume.id(), local(), false);
  }

  private ByteSize sizeOf(Volume volume) {
    return driver.find(volume.id()).orElseThrow().size();
  }

  /** Twice a size, as an option value. */
  private static String twice(ByteSize size) {
    return new ByteSize(size.bytes() * 2).toString();
  }

  /**
   * Returns a fresh snapshot name, {@code tck-snap-<random hex>}.
   *
   * @return the name
   */
  protected static SnapshotName newSnapshotName() {
    return SnapshotName.of("tck-snap-" + hex());
  }

  /**
   * Returns a fresh volume name, {@code tck-<random hex>}.
   *
   * @return the name
   */
  protected static VolumeName newName() {
    return VolumeName.of("tck-" + hex());
  }

  private static String hex() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private InstanceId local() {
    return driver.localInstance().id();
  }

  private InstanceId other() {
    if (otherInstance().isPresent()) {
      return otherInstance().get();
    }
    if (has(Capability.ATTACH_OTHER_INSTANCE)) {
      fail("the driver has ATTACH_OTHER_INSTANCE: the test must supply otherInstance()");
    }
    return InstanceId.of("tck-other-instance");
  }

  private boolean has(Capability capability) {
    return driver.capabilities().contains(capability);
  }

  /** The instances a volume is attached to now, as the driver reports them. */
  private List<InstanceId> instancesOf(Volume volume) {
    return driver.find(volume.id()).orElseThrow().attachments().stream()
        .map(Attachment::instanceId).toList();
  }

  /**
   * Creates a volume attached to the other instance; without ATTACH_OTHER_INSTANCE asserts
   * the refusal and returns empty.
   */
  private Optional<Volume> volumeAttachedElsewhere() {
    Volume volume = create(newName(), Map.of());
    if (!has(Capability.ATTACH_OTHER_INSTANCE)) {
      assertUnsupported(Capability.ATTACH_OTHER_INSTANCE,
          () -> driver.attach(volume.id(), other(), false));
      return Optional.empty();
    }
    driver.attach(volume.id(), other(), false);
    return Optional.of(volume);
  }

  private static UnsupportedCapabilityException assertUnsupported(Capability capability,
      Executable call) {
    UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
        call, "a call that needs " + capability);
    assertEquals(capability.name(), e.capability());
    return e;
  }

  /** Asserts a SnapshotNotFoundException, naming the snapshot when it is given. */
  private static void assertSnapshotNotFound(String snapshot, Executable call, String what) {
    SnapshotNotFoundException e = assertThrows(SnapshotNotFoundException.class, call, what);
    if (snapshot != null) {
      assertEquals(snapshot, e.snapshot());
    }
  }

  private static void assertNotFound(VolumeId missing, Executable call, String what) {
    VolumeNotFoundException e = assertThrows(VolumeNotFoundException.class, call,
        what + " of a volume that does not exist");
    assertEquals(missing.value(), e.volume());
  }

  /**
   * Waits for the local device of an attachment with {@link DeviceLocator#await}, then asks
   * {@link DeviceLocator#locate} once more: the device it returns now is the same and exists.
   */
  private Path awaitDevice(Attachment attachment) {
    Path device = driver.deviceLocator().await(attachment, deviceTimeout());
    Optional<Path> located = driver.deviceLocator().locate(attachment);
    assertEquals(Optional.of(device), located, "locate returns the awaited device again");
    assertTrue(Files.exists(device), "the located device " + device + " exists");
    return device;
  }
}
