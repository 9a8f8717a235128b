package io.stowage.driver.virtualbox;

import io.stowage.Hosts;
import io.stowage.driver.virtualbox.DoubleModel.Vm;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.StorageDriverProvider;
import io.stowage.tck.StorageDriverContractTest;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on the VirtualBox driver against the vboxwebsrv double, with a second
 * running VM as the other instance and stand-in guest devices.
 */
class VirtualBoxDriverContractTest extends StorageDriverContractTest {
  @TempDir
  static Path dir;
  static VboxFixture fixture;
  static GuestDisks guest;
  static Vm other;

  @BeforeAll
  static void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, dir);
    other = fixture.vbox.addVm("node-2", "Running", "PIIX3");
    fixture.vbox.addController(other, "SATA", "SATA", 30);
    guest = fixture.watchGuest(false);
  }

  @AfterAll
  static void stop() {
    try (VboxFixture closing = fixture; GuestDisks tree = guest) {
      fixture.assertRequestsValid();
    }
  }

  @Override
  protected StorageDriverProvider provider() {
    return new VirtualBoxDriverProvider();
  }

  @Override
  protected DriverConfig config() {
    return DriverConfig.of(VirtualBoxDriverProvider.NAME, fixture.section(guest));
  }

  @Override
  protected DriverContext context() {
    return Hosts.context(dir.resolve("state"));
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of(other.uuid));
  }

  @Override
  protected VolumeId missingVolumeId() {
    return VolumeId.of(UUID.randomUUID().toString());
  }
}
