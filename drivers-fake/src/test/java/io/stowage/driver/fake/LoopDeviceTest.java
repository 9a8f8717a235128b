package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.exception.VolumeInUseException;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real loop devices (needs root and /dev/loop-control; asserted under CI=true). */
class LoopDeviceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private FakeDriver driver;
  private final CommandRunner runner = new CommandRunner();
  private Path mounted;

  @BeforeEach
  void setUp() {
    LoopEnvironment.require();
    driver = new FakeDriver(FakeSettings.of(dir.resolve("store"), DeviceMode.LOOP)
        .withInstanceId("host-a"), Contexts.linux(dir));
  }

  @AfterEach
  void tearDown() {
    if (mounted != null) {
      runner.run(List.of("umount", mounted.toString()), TIMEOUT);
    }
    if (driver != null) {
      for (Volume v : driver.list()) {
        for (Attachment a : v.attachments()) {
          driver.detach(v.id(), a.instanceId(), true);
        }
        driver.remove(v.id());
      }
    }
  }

  private Volume create(String name) {
    return driver.create(VolumeName.of(name), VolumeOptions.parse(Map.of("size", "64MiB")));
  }

  @Test
  void attachSetsUpALoopDeviceOverTheImageAndDetachReleasesIt() {
    Volume v = create("loop1");
    Attachment a = driver.attach(v.id(), driver.localInstance().id(), false);
    Path device = Path.of(a.device());
    assertTrue(device.toString().matches("/dev/loop[0-9]+"), a.device());
    assertEquals(Optional.of(device), driver.deviceLocator().locate(a));
    LoopDevices loops = new LoopDevices(Hosts.commands(), TIMEOUT);
    assertTrue(loops.serves(device, driver.imageOf(v.id())));
    assertEquals(a.device(), driver.find(v.id()).orElseThrow().fields().get("loopDevice"));

    driver.detach(v.id(), driver.localInstance().id(), false);
    assertFalse(loops.serves(device, driver.imageOf(v.id())));
    assertTrue(driver.find(v.id()).orElseThrow().attachments().isEmpty());
  }

  @Test
  void attachingToAnotherInstanceCreatesNoLoopDevice() {
    Volume v = create("remote");
    Attachment a = driver.attach(v.id(), InstanceId.of("host-b"), false);
    assertEquals(dir.resolve("store").resolve("devices").resolve(v.id().value()).toString(),
        a.device());
    assertEquals(Optional.empty(), driver.deviceLocator().locate(a));
    assertFalse(driver.find(v.id()).orElseThrow().fields().containsKey("loopDevice"));
  }

  @Test
  void aMountedDeviceIsNotDetachedWithoutForceAndIsAutoClearedWithForce() throws Exception {
    Volume v = create("mounted");
    Attachment a = driver.attach(v.id(), driver.localInstance().id(), false);
    Path device = Path.of(a.device());
    runner.run(List.of("mkfs.ext4", "-q", device.toString()), TIMEOUT);
    Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
    runner.run(List.of("mount", device.toString(), mountPoint.toString()), TIMEOUT);
    mounted = mountPoint;

    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> driver.detach(v.id(), driver.localInstance().id(), false));
    assertTrue(e.getMessage().contains(mountPoint.toString()), e.getMessage());
    assertEquals(1, driver.find(v.id()).orElseThrow().attachments().size());

    driver.detach(v.id(), driver.localInstance().id(), true);
    assertTrue(driver.find(v.id()).orElseThrow().attachments().isEmpty());
    LoopDevices loops = new LoopDevices(Hosts.commands(), TIMEOUT);
    assertTrue(loops.serves(device, driver.imageOf(v.id())), "still serving while mounted");
    runner.run(List.of("umount", mountPoint.toString()), TIMEOUT);
    mounted = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (loops.serves(device, driver.imageOf(v.id())) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertFalse(loops.serves(device, driver.imageOf(v.id())), "auto-cleared at unmount");
  }

  @Test
  void attachAgainSetsUpANewDeviceWhenTheRecordedOneIsGone() {
    Volume v = create("vanished");
    Attachment first = driver.attach(v.id(), driver.localInstance().id(), false);
    runner.run(List.of("losetup", "-d", first.device()), TIMEOUT);
    Attachment second = driver.attach(v.id(), driver.localInstance().id(), false);
    assertTrue(new LoopDevices(Hosts.commands(), TIMEOUT).serves(Path.of(second.device()),
        driver.imageOf(v.id())));
    assertNotEquals(Optional.empty(), driver.deviceLocator().locate(second));
  }
}
