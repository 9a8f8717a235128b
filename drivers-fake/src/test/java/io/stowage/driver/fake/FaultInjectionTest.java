package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.model.Attachment;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.model.VolumeStatus;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection, from code and from the settings. */
class FaultInjectionTest {
  @TempDir
  Path root;

  private FakeDriver driver() {
    return new FakeDriver(FakeSettings.of(root.resolve("store"), DeviceMode.SIMULATED)
        .withInstanceId("host-a"), Contexts.simulated(root));
  }

  @Test
  void failNthFailsExactlyThatCallOnceAndChangesNothing() {
    FakeDriver driver = driver();
    driver.faults().failNth(Operation.CREATE, 2);
    driver.create(VolumeName.of("one"), VolumeOptions.NONE);
    BackendException e = assertThrows(BackendException.class,
        () -> driver.create(VolumeName.of("two"), VolumeOptions.NONE));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("two"), e.getMessage());
    assertTrue(driver.findByName(VolumeName.of("two")).isEmpty(), "nothing was created");
    driver.create(VolumeName.of("two"), VolumeOptions.NONE);
    assertEquals(2, driver.list().size());
    assertEquals(3, driver.faults().calls(Operation.CREATE));
  }

  @Test
  void failOnSettingIsAppliedThroughTheProvider() {
    FakeDriver driver = (FakeDriver) new FakeDriverProvider().create(DriverConfig.of("fake",
        Map.of("ROOT", root.resolve("store").toString(), "instanceid", "host-a",
            "devices", "SIMULATED", "failOn", "attach:1,create:2")),
        Contexts.simulated(root));
    var v = driver.create(VolumeName.of("v"), VolumeOptions.NONE);
    assertThrows(BackendException.class,
        () -> driver.attach(v.id(), driver.localInstance().id(), false));
    assertTrue(driver.find(v.id()).orElseThrow().attachments().isEmpty());
    assertThrows(BackendException.class,
        () -> driver.create(VolumeName.of("w"), VolumeOptions.NONE));
    driver.attach(v.id(), driver.localInstance().id(), false);
    assertEquals(1, driver.find(v.id()).orElseThrow().attachments().size());
  }

  @Test
  void throttlingFailsEveryNthBackendCallWithARetryableError() {
    FakeDriver driver = driver();
    driver.faults().throttleEvery(3);
    driver.list();
    driver.list();
    BackendException e = assertThrows(BackendException.class, driver::list);
    assertTrue(e.retryable());
    driver.list();
    driver.list();
    assertThrows(BackendException.class, driver::list);
    driver.faults().throttleEvery(0);
    for (int i = 0; i < 5; i++) {
      driver.list();
    }
  }

  @Test
  void latencyIsAddedToEveryCall() {
    FakeDriver driver = driver();
    driver.faults().latency(Duration.ofMillis(60));
    long start = System.nanoTime();
    driver.list();
    driver.list();
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(120).toNanos());
    driver.faults().reset();
    start = System.nanoTime();
    driver.list();
    assertTrue(System.nanoTime() - start < Duration.ofMillis(60).toNanos());
  }

  @Test
  void aStuckAttachIsRecordedButTheDeviceNeverAppears() {
    FakeDriver driver = driver();
    driver.faults().stuckAttach(true);
    var v = driver.create(VolumeName.of("stuck"), VolumeOptions.NONE);
    Attachment a = driver.attach(v.id(), driver.localInstance().id(), false);
    assertEquals(new VolumeStatus(VolumeStatus.Phase.IN_USE, "attaching"),
        driver.find(v.id()).orElseThrow().status());
    assertEquals(Optional.empty(), driver.deviceLocator().locate(a));

    OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
        () -> driver.deviceLocator().await(a, Duration.ofMillis(300)));
    assertEquals(Duration.ofMillis(300), e.waited());

    driver.faults().stuckAttach(false);
    driver.detach(v.id(), driver.localInstance().id(), true);
    Attachment fresh = driver.attach(v.id(), driver.localInstance().id(), false);
    Path device = driver.deviceLocator().await(fresh, Duration.ofSeconds(5));
    assertEquals(root.resolve("store").resolve("devices").resolve(v.id().value()), device);
    assertTrue(Files.isRegularFile(device), "a simulated device is a file while attached");
    driver.detach(v.id(), driver.localInstance().id(), false);
    assertFalse(Files.exists(device), "and gone once detached");
  }

  @Test
  void malformedFailOnIsRejectedNamingTheSetting() {
    for (String bad : new String[] {"attach", "attach:0", "bogus:1", "attach:x",
        "attach:1,attach:2"}) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> FaultInjector.parseFailOn(bad), bad);
      assertEquals("failOn", e.field());
    }
    assertEquals(Map.of(Operation.ATTACH, 3, Operation.CREATE, 1),
        FaultInjector.parseFailOn(" attach:3 , create:1"));
  }
}
