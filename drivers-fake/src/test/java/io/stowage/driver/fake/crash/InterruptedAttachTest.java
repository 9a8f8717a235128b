package io.stowage.driver.fake.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.driver.fake.DeviceMode;
import io.stowage.driver.fake.FakeDriver;
import io.stowage.driver.fake.FakeSettings;
import io.stowage.driver.fake.LoopEnvironment;
import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states a kill in the middle of the fake's loop attach leaves, made on purpose: an
 * attachment recorded as attaching while a {@code losetup} finished without being recorded.
 * A stuck attach (fault injection) records the attachment without a device; the loop device
 * set up by hand is the one the killed process never recorded.
 */
class InterruptedAttachTest {
  private static final InstanceId HOST = InstanceId.of("host-a");

  @TempDir
  Path temp;

  private HostView host;
  private FakeDriver driver;

  @BeforeEach
  void open() throws IOException {
    LoopEnvironment.require();
    host = new HostView(temp);
    driver = new FakeDriver(FakeSettings.of(temp.resolve("store"), DeviceMode.LOOP)
        .withInstanceId(HOST.value()), Hosts.context(temp.resolve("state")));
  }

  @AfterEach
  void cleanUp() {
    if (host != null) {
      host.forceCleanUp();
    }
  }

  private Volume interruptedAttach(String name) {
    Volume volume = driver.create(VolumeName.of(name),
        VolumeOptions.parse(Map.of("size", "64MiB")));
    driver.faults().stuckAttach(true);
    driver.attach(volume.id(), HOST, false);
    driver.faults().stuckAttach(false);
    HostView.run("losetup", "--find", driver.imageOf(volume.id()).toString());
    assertEquals(1, host.loops().size(), "the unrecorded loop device: " + host.loops());
    return volume;
  }

  @Test
  void detachReleasesALoopDeviceTheAttachDidNotRecord() {
    Volume volume = interruptedAttach("detached");

    driver.detach(volume.id(), HOST, false);

    assertEquals(List.of(), host.loops());
    assertTrue(driver.find(volume.id()).orElseThrow().attachments().isEmpty());
  }

  @Test
  void attachingAgainReplacesTheUnrecordedLoopDeviceWithOneItRecords() {
    Volume volume = interruptedAttach("again");

    Attachment attachment = driver.attach(volume.id(), HOST, false);

    List<HostView.Loop> loops = host.loops();
    assertEquals(1, loops.size(), "one loop device over the image: " + loops);
    assertEquals(Path.of(attachment.device()), loops.get(0).device());
    assertEquals(attachment.device(),
        driver.find(volume.id()).orElseThrow().fields().get("loopDevice"));
    driver.detach(volume.id(), HOST, false);
    assertEquals(List.of(), host.loops());
  }
}
