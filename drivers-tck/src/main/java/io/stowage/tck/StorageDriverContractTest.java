package io.stowage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every storage driver keeps. A driver's test is a short subclass that supplies
 * its provider, a configuration and a context for a fresh, isolated back end, and, when the
 * driver can attach volumes to other instances, the ID of another instance:
 *
 * <pre>{@code
 * class FakeDriverContractTest extends StorageDriverContractTest {
 *   @TempDir Path root;
 *   protected StorageDriverProvider provider() { return new FakeDriverProvider(); }
 *   protected DriverConfig config() { return ...; }
 *   protected DriverContext context() { return new DriverContext(Clock.systemUTC(), root); }
 *   protected Optional<InstanceId> otherInstance() { return Optional.of(InstanceId.of("b")); }
 * }
 * }</pre>
 *
 * <p>Where the driver lacks a capability, the suite asserts the documented
 * {@link UnsupportedCapabilityException} instead of skipping. Every test removes the volumes
 * it created. Volume names start with {@code tck-}.
 */
public abstract class StorageDriverContractTest {
  /** The driver under test, created before each test and closed after it. */
  protected StorageDriver driver;

  private final List<VolumeId> created = new ArrayList<>();

  /** Creates the suite. */
  protected StorageDriverContractTest() {}

  /**
   * Returns the provider of the driver under test.
   *
   * @return a provider instance
   */
  protected abstract StorageDriverProvider provider();

  /**
   * Returns the driver's configuration for a fresh, isolated back end.
   *
   * @return the configuration
   */
  protected abstract DriverConfig config();

  /**
   * Returns the context to create the driver with.
   *
   * @return the context
   */
  protected abstract DriverContext context();

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
   * Returns how long to wait for the local device of an attachment to appear.
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
   * {@code snapshotid=tck-missing-snapshot}, {@code volumeid} of {@code source}. A driver whose
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
      case FORCE_DETACH, ATTACH_OTHER_INSTANCE -> Map.of();
    };
  }

  /**
   * Returns a volume ID that does not exist in the back end.
   *
   * @return an ID of the back end's form; by default {@code tck-missing-<random hex>}
   */
  protected VolumeId missingVolumeId() {
    return VolumeId.of("tck-missing-" + hex());
  }

  /** Creates the driver. */
  @BeforeEach
  protected void createDriver() {
    driver = provider().create(config(), context());
    assertNotNull(driver, "provider().create returned null");
  }

  /** Removes every volume the test created and closes the driver. */
  @AfterEach
  protected void cleanUp() {
    if (driver == null) {
      return;
    }
    try {
      for (VolumeId id : created) {
        try {
          Optional<Volume> volume = driver.find(id);
          if (volume.isEmpty()) {
            continue;
          }
          boolean force = driver.capabilities().contains(Capability.FORCE_DETACH);
          for (Attachment a : volume.get().attachments()) {
            driver.detach(id, a.instanceId(), force);
          }
          driver.remove(id);
        } catch (VolumeNotFoundException e) {
          // Already gone.
        }
      }
    } finally {
      created.clear();
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

  /** The provider's name follows the name rule and the driver reports the same name. */
  @Test
  protected void driverNameMatchesProvider() {
    String name = provider().name();
    assertEquals(name, StorageDriverProvider.requireValidName(name),
        "driver names are " + StorageDriverProvider.NAME_RULE);
    assertEquals(name, driver.name());
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

  /** Creating a name that exists fails and creates nothing. */
  @Test
  protected void createWithExistingNameFails() {
    VolumeName name = newName();
    Volume first = create(name, Map.of());
    VolumeAlreadyExistsException e = assertThrows(VolumeAlreadyExistsException.class,
        () -> create(name, Map.of()));
    assertEquals(name.value(), e.volume());
    assertEquals(List.of(first.id()), driver.findByName(name).stream().map(Volume::id)
        .toList());
  }

  /** Finding an ID that does not exist is empty, not an error. */
  @Test
  protected void findMissingIsEmpty() {
    assertTrue(driver.find(missingVolumeId()).isEmpty());
    assertTrue(driver.findByName(newName()).isEmpty());
  }

  /** Removing, attaching or detaching a missing volume is a VolumeNotFoundException. */
  @Test
  protected void missingVolumeIsNotFound() {
    VolumeId missing = missingVolumeId();
    assertThrows(VolumeNotFoundException.class, () -> driver.remove(missing));
    assertThrows(VolumeNotFoundException.class,
        () -> driver.attach(missing, local(), false));
    assertThrows(VolumeNotFoundException.class,
        () -> driver.detach(missing, local(), false));
  }

  // ---------------------------------------------------------------- attach and detach

  /** Attaching to this instance gives a device the locator finds; detach removes it. */
  @Test
  protected void attachAndDetachLocally() {
    Volume volume = create(newName(), Map.of());
    Attachment attachment = driver.attach(volume.id(), local(), false);
    assertEquals(volume.id(), attachment.volumeId());
    assertEquals(local(), attachment.instanceId());
    assertTrue(driver.find(volume.id()).orElseThrow().attachmentTo(local()).isPresent(),
        "the volume reports its attachment to the local instance");

    Path device = awaitDevice(attachment);
    assertNotNull(device);

    driver.detach(volume.id(), local(), false);
    Volume after = driver.find(volume.id()).orElseThrow();
    assertTrue(after.attachments().isEmpty(), "no attachment after detach: "
        + after.attachments());
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

  /** A volume attached elsewhere is not attached here without force, and the error names it. */
  @Test
  protected void attachedElsewhereWithoutForceIsInUse() {
    Optional<Volume> attached = volumeAttachedElsewhere();
    if (attached.isEmpty()) {
      return;
    }
    Volume volume = attached.get();
    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> driver.attach(volume.id(), local(), false));
    assertEquals(other().value(), e.holder());
    assertTrue(e.getMessage().contains(other().value()), "the message names the instance: "
        + e.getMessage());
    assertEquals(Optional.of(other()), driver.find(volume.id()).orElseThrow()
        .attachmentElsewhere(local()).map(Attachment::instanceId), "still attached there");
  }

  /** Attaching with force takes a volume over from another instance (preemption). */
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
    Volume after = driver.find(volume.id()).orElseThrow();
    assertEquals(List.of(local()), after.attachments().stream().map(Attachment::instanceId)
        .toList());
    assertNotNull(awaitDevice(attachment));
  }

  /** Detaching with force works with FORCE_DETACH and is refused without. */
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
    assertTrue(driver.find(volume.id()).orElseThrow().attachments().isEmpty());
    if (has(Capability.ATTACH_OTHER_INSTANCE)) {
      driver.attach(volume.id(), other(), false);
      driver.detach(volume.id(), other(), true);
      assertTrue(driver.find(volume.id()).orElseThrow().attachments().isEmpty());
    }
  }

  /** Removing an attached volume is refused and leaves it in place. */
  @Test
  protected void removeAttachedIsInUse() {
    Volume volume = create(newName(), Map.of());
    driver.attach(volume.id(), local(), false);
    assertThrows(VolumeInUseException.class, () -> driver.remove(volume.id()));
    assertTrue(driver.find(volume.id()).orElseThrow().attachmentTo(local()).isPresent());
    driver.detach(volume.id(), local(), false);
    driver.remove(volume.id());
    assertTrue(driver.find(volume.id()).isEmpty());
  }

  /** Detaching a volume that is not attached succeeds and changes nothing. */
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
      assertEquals(Optional.of(other()), driver.find(volume.id()).orElseThrow()
          .attachmentElsewhere(local()).map(Attachment::instanceId),
          "detaching from this instance leaves the attachment elsewhere");
    }
  }

  // ---------------------------------------------------------------- options and capabilities

  /**
   * For each optional capability: a driver that has it creates the volume and reports the
   * value back; a driver that lacks it refuses with UnsupportedCapabilityException and
   * creates nothing.
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
    Volume source = capability == Capability.COPY_VOLUME ? create(newName(), Map.of()) : null;
    VolumeName name = newName();
    Map<String, String> options = optionsNeeding(capability, source);
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
      Runnable call) {
    UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
        call::run);
    assertEquals(capability.name(), e.capability());
    return e;
  }

  private Path awaitDevice(Attachment attachment) {
    return driver.deviceLocator().await(attachment, deviceTimeout());
  }
}
