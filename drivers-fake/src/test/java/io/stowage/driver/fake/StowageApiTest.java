package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.DriverRegistry;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.internal.state.StateStore;
import io.stowage.model.ByteSize;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public entry points on the fake driver and the simulated host (no root needed). */
class StowageApiTest {
  @TempDir
  Path work;

  private final List<Stowage> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Stowage::close);
  }

  @Test
  void theRexRaySeedConfigNeedsTheVirtualBoxDriverAndSaysWhichAreInstalled() throws Exception {
    DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
        () -> Stowage.builder().configFile(resource("config/rexray-0.3-virtualbox.yml"))
            .setting("stowage.state.directory", work.resolve("state"))
            .host(new SimulatedHost(work.resolve("host")))
            .build());
    assertEquals("virtualbox", e.driver());
    assertTrue(e.installed().contains("fake"), e.installed().toString());
    assertTrue(e.getMessage().contains("virtualbox") && e.getMessage().contains("fake"),
        e.getMessage());
  }

  @Test
  void discoveryFindsTheFakeDriverThroughServiceLoader() {
    DriverRegistry registry = DriverRegistry.discover(getClass().getClassLoader());
    assertEquals(List.of("fake"), registry.names());
    assertEquals(FakeDriverProvider.class, registry.provider("fake").getClass());
    assertTrue(registry.problems().isEmpty());
  }

  @Test
  void twoProvidersWithOneNameAreReportedNotGuessed() {
    DriverRegistry registry = DriverRegistry.of(List.of(new FakeDriverProvider(),
        new FakeDriverProvider()));
    DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
        () -> registry.provider("fake"));
    assertTrue(e.getMessage().contains("claimed by 2 providers"), e.getMessage());
  }

  @Test
  void createListFindAttachDetachRemove() {
    VolumeService volumes = open("host-a");
    Volume created = volumes.create("alpha", Options.of("size", "2", "volumetype", "fast"));
    assertEquals(ByteSize.ofGiB(2), created.size());
    assertEquals("fast", created.volumeType().orElseThrow());
    volumes.create("beta", VolumeOptions.NONE);
    assertEquals(List.of("alpha", "beta"),
        volumes.list().stream().map(v -> v.name().value()).toList());
    assertEquals(VolumeOptions.DEFAULT_SIZE, volumes.find("beta").orElseThrow().size());
    assertEquals(created.id(), volumes.find(created.id().value()).orElseThrow().id(),
        "volumes are found by back-end ID too");

    volumes.attach("alpha", false);
    assertEquals("host-a", volumes.find("alpha").orElseThrow().attachments().get(0)
        .instanceId().value());
    assertThrows(VolumeInUseException.class, () -> volumes.remove("alpha", false));
    volumes.detach("alpha", false);
    volumes.remove("alpha", false);
    volumes.remove(volumes.find("beta").orElseThrow().id().value(), false);
    assertTrue(volumes.list().isEmpty());
    assertThrows(VolumeNotFoundException.class, () -> volumes.remove("alpha", false));
  }

  @Test
  void creatingANameThatExistsIsAnErrorAndRemovingAnAttachedVolumeNeedsForce() {
    VolumeService a = open("host-a");
    VolumeService b = open("host-b");
    a.create("taken", VolumeOptions.NONE);
    assertThrows(VolumeAlreadyExistsException.class, () -> b.create("taken", VolumeOptions.NONE));
    a.attach("taken", false);
    VolumeInUseException inUse = assertThrows(VolumeInUseException.class,
        () -> b.remove("taken", false));
    assertTrue(inUse.getMessage().contains("host-a"), inUse.getMessage());
    b.remove("taken", true);
    assertTrue(a.find("taken").isEmpty());
  }

  @Test
  void twoInstancesOverOneBackEndSeeEachOthersVolumes() {
    VolumeService a = open("host-a");
    VolumeService b = open("host-b");
    a.create("from-a", VolumeOptions.NONE);
    b.create("from-b", VolumeOptions.NONE);
    assertEquals(a.list().stream().map(Volume::id).toList(),
        b.list().stream().map(Volume::id).toList());
    assertEquals(2, a.list().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "../etc", "a/b", "a\u0000b", "line\nbreak", ".hidden", "a..b",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" })
  void badNamesAreRejectedNamingTheValueAndNothingIsWritten(String name) throws IOException {
    VolumeService volumes = open("host-a");
    InvalidArgumentException create = assertThrows(InvalidArgumentException.class,
        () -> volumes.create(name, VolumeOptions.NONE));
    assertTrue(create.getMessage().contains("volume name"), create.getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> volumes.mount(name, MountRequest.DEFAULT));
    assertNothingWritten(volumes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"size=-1", "size=0", "size=65537", "size=100TiB", "size=lots",
      "newfstype=ntfs", "overwritefs=maybe", "iops=0", "volumetype=a/b", "colour=blue" })
  void badOptionsAreRejectedNamingTheKeyAndNothingIsWritten(String pair) throws IOException {
    VolumeService volumes = open("host-a");
    String key = pair.substring(0, pair.indexOf('='));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> volumes.mount("good", MountRequest.builder()
            .options(VolumeOptions.parsePairs(List.of(pair), java.util.Set.of())).build()));
    assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(key),
        e.getMessage());
    assertNothingWritten(volumes);
  }

  @Test
  void malformedAndMistypedYamlIsAConfigurationErrorListingEveryProblem() throws IOException {
    Path bad = Files.writeString(work.resolve("bad.yml"), "stowage:\n  volume:\n    mount:\n"
        + "      preempt: maybe\n  storageDrivers: fake\n  colume: {}\n");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Stowage.builder().configFile(bad).build());
    assertTrue(e.problems().size() >= 2, e.problems().toString());
    assertTrue(e.getMessage().contains("preempt"), e.getMessage());
    assertTrue(e.getMessage().contains("colume"), e.getMessage());

    Path broken = Files.writeString(work.resolve("broken.yml"), "stowage: [unclosed\n");
    ConfigurationException syntax = assertThrows(ConfigurationException.class,
        () -> Stowage.builder().configFile(broken).build());
    assertTrue(syntax.getMessage().contains("broken.yml"), syntax.getMessage());
  }

  @Test
  void mountIsIdempotentPerCallerAndUnmountOfAnUnknownCallerChangesNothing() {
    VolumeService volumes = open("host-a");
    Path path = volumes.mount("pg", MountRequest.builder().caller("c1").build()).path();
    assertEquals(path, volumes.mount("pg", MountRequest.builder().caller("c1").build()).path());
    volumes.unmount("pg", UnmountRequest.caller("someone-else"));
    assertEquals(path, volumes.path("pg").orElseThrow());
    volumes.unmount("pg", UnmountRequest.caller("c1"));
    assertTrue(volumes.path("pg").isEmpty());
    volumes.unmount("pg", UnmountRequest.caller("c1"));
    assertThrows(VolumeNotFoundException.class,
        () -> volumes.unmount("never-created", UnmountRequest.DEFAULT));
  }

  @Test
  void aProgressListenerHearsEachLongStepAndCannotFailTheCall() {
    List<String> heard = new ArrayList<>();
    Stowage stowage = Instances.builder(work, "host-a", DeviceMode.SIMULATED)
        .host(new SimulatedHost(work.resolve("host-a/host")))
        .progress((volume, step) -> {
          heard.add(volume + " " + step);
          throw new IllegalStateException("a listener that fails");
        })
        .build();
    open.add(stowage);
    VolumeService volumes = stowage.volumes();
    volumes.mount("noisy", MountRequest.DEFAULT);
    assertEquals(List.of("noisy CREATING", "noisy ATTACHING", "noisy WAITING_FOR_DEVICE",
        "noisy FORMATTING", "noisy MOUNTING"), heard);
    heard.clear();
    volumes.unmount("noisy", UnmountRequest.DEFAULT);
    assertEquals(List.of("noisy UNMOUNTING", "noisy DETACHING"), heard);
    heard.clear();
    volumes.mount("noisy", MountRequest.DEFAULT);
    assertEquals(List.of("noisy ATTACHING", "noisy WAITING_FOR_DEVICE", "noisy MOUNTING"), heard,
        "an existing file system is not formatted again");
  }

  @Test
  void mountingAnotherDriversVolumeIsRefusedAndCreatesNothing() {
    Stowage stowage = twoDrivers();
    stowage.volumes("other").create("theirs", VolumeOptions.NONE);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> stowage.volumes("fake").mount("theirs", MountRequest.DEFAULT));
    assertTrue(e.getMessage().contains("other"), e.getMessage());
    assertTrue(stowage.volumes("fake").find("theirs").isEmpty(), "no namesake was created");
  }

  @Test
  void aMountPointTakenByAnotherDriversVolumeIsRefusedBeforeAttaching() {
    Stowage stowage = twoDrivers();
    Path taken = stowage.volumes("other").mount("dup", MountRequest.DEFAULT).mountPoint();
    stowage.volumes("fake").create("dup", VolumeOptions.NONE);
    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> stowage.volumes("fake").mount("dup", MountRequest.DEFAULT));
    assertTrue(e.getMessage().contains(taken.toString()), e.getMessage());
    assertTrue(stowage.volumes("fake").find("dup").orElseThrow().attachments().isEmpty());
    assertEquals(taken.resolve("data"), stowage.volumes("other").path("dup").orElseThrow());
  }

  private Stowage twoDrivers() {
    Stowage stowage = Instances.builder(work, "host-a", DeviceMode.SIMULATED)
        .provider(new RenamedDriverProvider("other"))
        .setting("stowage.storageDrivers", List.of("fake", "other"))
        .setting("other.root", work.resolve("other-backend"))
        .setting("other.instanceId", "host-a")
        .setting("other.devices", "simulated")
        .host(new SimulatedHost(work.resolve("host-a/host")))
        .build();
    open.add(stowage);
    return stowage;
  }

  private void assertNothingWritten(VolumeService volumes) throws IOException {
    assertTrue(volumes.list().isEmpty(), volumes.list().toString());
    try (StateStore state = StateStore.open(work.resolve("host-a/state"))) {
      assertTrue(state.all().isEmpty(), state.all().toString());
    }
    Path mountRoot = work.resolve("host-a/volumes");
    assertTrue(!Files.exists(mountRoot) || Files.list(mountRoot).findAny().isEmpty());
  }

  private VolumeService open(String instance) {
    Stowage stowage = Instances.builder(work, instance, DeviceMode.SIMULATED)
        .host(new SimulatedHost(work.resolve(instance).resolve("host")))
        .build();
    open.add(stowage);
    return stowage.volumes();
  }


  private Path resource(String name) throws URISyntaxException {
    return Path.of(getClass().getClassLoader().getResource(name).toURI());
  }
}
