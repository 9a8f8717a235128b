package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.driver.virtualbox.DoubleModel.Disk;
import io.stowage.driver.virtualbox.DoubleModel.Vm;
import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver on the SPI against the vboxwebsrv double: its settings, the bad inputs it must
 * answer with a typed error that changes nothing, and the cases the contract kit does not
 * reach.
 */
class VirtualBoxDriverTest {
  private static final VolumeOptions ONE_GIB = VolumeOptions.parse(Map.of("size", "1"));

  @TempDir
  Path temp;
  VboxFixture fixture;
  VboxWebServiceDouble vbox;
  GuestDisks guest;

  @BeforeEach
  void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    vbox = fixture.vbox;
    guest = fixture.watchGuest(false);
  }

  @AfterEach
  void stop() {
    try (VboxFixture closing = fixture; GuestDisks tree = guest) {
      fixture.assertRequestsValid();
      assertFalse(vbox.anyMachineLocked(), "a machine was left locked");
    }
  }

  private StorageDriver open() {
    return open(section -> { });
  }

  private StorageDriver open(Consumer<Map<String, Object>> change) {
    Map<String, Object> section = fixture.section(guest);
    change.accept(section);
    return new VirtualBoxDriverProvider().create(
        DriverConfig.of(VirtualBoxDriverProvider.NAME, section), Hosts.context(temp));
  }

  // settings

  @Test
  void theSeedsSectionBindsWithLibStoragesDefaults() {
    VirtualBoxSettings settings = DriverConfig.of("virtualbox", Map.of(
        "endpoint", "http://yourlaptop:18083", "volumePath", "/Users/youruser/VirtualBox Volumes",
        "controllerName", "SATA")).bind(VirtualBoxSettings.class);

    assertEquals("/Users/youruser/VirtualBox Volumes", settings.volumePath());
    assertEquals(Path.of("/dev/disk/by-id"), settings.diskIDPath());
    assertEquals(Path.of("/sys/class/scsi_host"), settings.scsiHostPath());
    assertEquals(Optional.empty(), settings.username());
    assertFalse(settings.tls());
    assertEquals(Duration.ofSeconds(30), settings.requestTimeout());
    assertEquals("/Users/youruser/VirtualBox Volumes/pgdata.vmdk",
        new VolumePath(settings.volumePath(), settings.mediumFormat()).locationOf("pgdata"));
    List<String> keys = DriverConfig.settingsOf(VirtualBoxSettings.class).stream()
        .map(DriverConfig.Setting::key).toList();
    assertTrue(keys.containsAll(List.of("endpoint", "volumePath", "controllerName", "username",
        "password", "tls", "localMachineNameOrId", "diskIDPath", "scsiHostPath")), keys::toString);
    assertTrue(DriverConfig.settingsOf(VirtualBoxSettings.class).stream()
        .anyMatch(s -> s.key().equals("password") && s.secret()));
  }

  @Test
  void badSettingsAreReportedAllAtOnceAndThePasswordNeverShows() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () ->
        DriverConfig.of("virtualbox", Map.of("endpoint", "ftp://host:18083",
            "volumePath", "relative/volumes", "password", "hunter2", "diskIDPath", "by-id",
            "mediumFormat", "qcow2", "requestTimeout", "0s")).bind(VirtualBoxSettings.class));

    String message = e.getMessage();
    for (String named : List.of("virtualbox.endpoint", "virtualbox.requestTimeout",
        "virtualbox.volumePath", "virtualbox.mediumFormat", "virtualbox.diskIDPath")) {
      assertTrue(message.contains(named), message);
    }
    assertEquals(5, e.problems().size(), e.problems().toString());
    assertFalse(message.contains("hunter2"), message);

    VirtualBoxSettings settings = DriverConfig.of("virtualbox", Map.of("volumePath", "/v",
        "username", "admin", "password", "hunter2")).bind(VirtualBoxSettings.class);
    assertFalse(settings.toString().contains("hunter2"), settings.toString());
    assertTrue(settings.toString().contains("password=****"), settings.toString());
  }

  // opening

  @Test
  void anEndpointThatDoesNotAnswerFailsWithinItsBoundNamingIt() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      String endpoint = "http://127.0.0.1:" + silent.getLocalPort() + "/";

      OperationTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
          assertThrows(OperationTimeoutException.class, () -> open(section -> {
            section.put("endpoint", endpoint);
            section.put("requestTimeout", "300ms");
          })));

      assertTrue(e.getMessage().contains("vboxwebsrv at " + endpoint), e.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreAConfigurationErrorThatDoesNotShowThePassword() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> open(section -> section.put("password", "not-it-either")));

    assertTrue(e.getMessage().contains("virtualbox.password"), e.getMessage());
    assertFalse(e.getMessage().contains("not-it-either"), e.getMessage());
    assertEquals(0, vbox.liveSessions(), "no web session is left open");
  }

  @Test
  void twoRunningClonesWithThisHostsMacAreRefusedUntilTheSettingNamesOne() {
    vbox.addVm("node-1-clone", "Running", "PIIX3", VboxFixture.LOCAL_MAC);

    ConfigurationException e = assertThrows(ConfigurationException.class, this::open);

    assertTrue(e.getMessage().contains("virtualbox.localMachineNameOrId"), e.getMessage());
    assertTrue(e.getMessage().contains("node-1-clone"), e.getMessage());
    try (StorageDriver driver = open(section -> section.put("localMachineNameOrId", "node-1"))) {
      assertEquals(fixture.local.uuid, driver.localInstance().id().value());
      assertEquals("node-1", driver.localInstance().name());
    }
  }

  // volumes

  @Test
  void disksOutsideTheVolumePathAreNeverListedFoundOrTouched() {
    Disk foreign = vbox.addDisk("/vbox/vms/packer/packer-disk1.vmdk", 8L << 30);
    Disk beside = vbox.addDisk(VboxFixture.VOLUMES + "/nested/deeper.vmdk", 1L << 30);
    try (StorageDriver driver = open()) {
      Volume volume = driver.create(VolumeName.of("pgdata"), ONE_GIB);

      assertEquals(List.of(volume.id()), driver.list().stream().map(Volume::id).toList());
      for (Disk other : List.of(foreign, beside)) {
        VolumeId id = VolumeId.of(other.uuid);
        assertEquals(Optional.empty(), driver.find(id));
        assertThrows(VolumeNotFoundException.class, () -> driver.remove(id));
        assertThrows(VolumeNotFoundException.class,
            () -> driver.attach(id, driver.localInstance().id(), false));
      }
      assertTrue(driver.findByName(VolumeName.of("packer-disk1")).isEmpty());
      driver.remove(volume.id());
    }
    assertTrue(vbox.registeredDisk(foreign.location).isPresent());
    assertTrue(vbox.fileExists(beside.location));
  }

  @Test
  void aVolumeReportsItsSizeLocationAndAttachmentsAsTheGuestSeesThem() {
    try (StorageDriver driver = open()) {
      Volume volume = driver.create(VolumeName.of("pgdata"), ONE_GIB);
      assertEquals(ByteSize.ofGiB(1), volume.size());
      assertEquals(Map.of("location", VboxFixture.VOLUMES + "/pgdata.vmdk"), volume.fields());

      Attachment attachment = driver.attach(volume.id(), driver.localInstance().id(), false);

      MediumUuid medium = new MediumUuid(volume.id().value());
      assertEquals(medium.serial(), attachment.device());
      assertEquals("- - -", guest.lastScan(), "the SCSI hosts were asked to rescan");
      Path device = guest.deviceOf(medium.value()).orElseThrow();
      assertEquals(Optional.of(device), driver.deviceLocator().locate(attachment));
      assertEquals(List.of(attachment),
          driver.find(volume.id()).orElseThrow().attachments());
      driver.detach(volume.id(), driver.localInstance().id(), false);
      assertEquals(Optional.empty(), driver.deviceLocator().locate(attachment));
      driver.remove(volume.id());
    }
  }

  @Test
  void aCreationThatFailsInProgressLeavesNothingBehind() {
    vbox.failNextCreation(ResultCodes.E_FAIL, "VD: error VERR_DISK_FULL");
    try (StorageDriver driver = open()) {
      BackendException e = assertThrows(BackendException.class,
          () -> driver.create(VolumeName.of("pgdata"), ONE_GIB));

      assertTrue(e.getMessage().contains("VERR_DISK_FULL"), e.getMessage());
      assertTrue(driver.findByName(VolumeName.of("pgdata")).isEmpty());
      assertTrue(driver.list().isEmpty());
    }
    assertFalse(vbox.fileExists(VboxFixture.VOLUMES + "/pgdata.vmdk"));
  }

  @Test
  void aVolumePathTheVirtualBoxHostCannotWriteIsAConfigurationErrorAndCreatesNothing() {
    vbox.denyWrites(VboxFixture.VOLUMES);
    try (StorageDriver driver = open()) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> driver.create(VolumeName.of("pgdata"), ONE_GIB));

      assertTrue(e.getMessage().contains("virtualbox.volumePath \"" + VboxFixture.VOLUMES
          + "\""), e.getMessage());
      assertTrue(e.getMessage().contains("VERR_ACCESS_DENIED"), e.getMessage());
      assertTrue(driver.list().isEmpty());
    }
    assertFalse(vbox.fileExists(VboxFixture.VOLUMES + "/pgdata.vmdk"));
    assertTrue(vbox.registeredDisk(VboxFixture.VOLUMES + "/pgdata.vmdk").isEmpty());
  }

  @Test
  void anImageFileOfTheNameThatVirtualBoxDidNotKnowIsAnExistingVolume() {
    vbox.addUnregisteredImage(VboxFixture.VOLUMES + "/restored.vmdk");
    try (StorageDriver driver = open()) {
      VolumeAlreadyExistsException e = assertThrows(VolumeAlreadyExistsException.class,
          () -> driver.create(VolumeName.of("restored"), ONE_GIB));

      assertEquals("restored", e.volume());
      assertEquals(1, driver.findByName(VolumeName.of("restored")).size());
    }
  }

  // attach

  @Test
  void aControllerWithOneFreePortTakesTheDiskThereAndAFullOneIsRefusedChangingNothing() {
    vbox.addController(fixture.local, "Small", "SATA", 2);
    vbox.attach(fixture.local, "Small", 0, vbox.addDisk("/vbox/vms/node-1/data.vmdk", 1L << 30));
    try (StorageDriver driver = open(section -> section.put("controllerName", "Small"))) {
      InstanceId here = driver.localInstance().id();
      Volume first = driver.create(VolumeName.of("first"), ONE_GIB);
      Volume second = driver.create(VolumeName.of("second"), ONE_GIB);

      driver.attach(first.id(), here, false);
      assertEquals(first.id().value(), vbox.attachedDisks(fixture.local, "Small").get(1));

      BackendException full = assertThrows(BackendException.class,
          () -> driver.attach(second.id(), here, false));
      assertTrue(full.getMessage().contains("all 2 ports"), full.getMessage());
      assertTrue(driver.find(second.id()).orElseThrow().attachments().isEmpty());
      assertEquals(2, vbox.attachedDisks(fixture.local, "Small").size());
      driver.detach(first.id(), here, false);
    }
  }

  @Test
  void aControllerNameTheVmDoesNotHaveIsAConfigurationErrorNamingThoseItHas() {
    try (StorageDriver driver = open(section -> section.put("controllerName", "NVMe"))) {
      Volume volume = driver.create(VolumeName.of("pgdata"), ONE_GIB);

      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> driver.attach(volume.id(), driver.localInstance().id(), false));

      assertTrue(e.getMessage().contains("virtualbox.controllerName \"NVMe\""), e.getMessage());
      assertTrue(e.getMessage().contains("\"SATA\""), e.getMessage());
      assertTrue(driver.find(volume.id()).orElseThrow().attachments().isEmpty());
    }
  }

  @Test
  void aWebSessionThatExpiresBetweenCallsIsRenewedAndTheWorkGoesOn() {
    try (StorageDriver driver = open()) {
      Volume volume = driver.create(VolumeName.of("pgdata"), ONE_GIB);
      vbox.expireSessions();

      Attachment attachment = driver.attach(volume.id(), driver.localInstance().id(), false);
      vbox.expireSessions();
      assertEquals(List.of(attachment), driver.findByName(VolumeName.of("pgdata")).get(0)
          .attachments());
      vbox.expireSessions();
      driver.detach(volume.id(), driver.localInstance().id(), false);
      driver.remove(volume.id());
      assertTrue(driver.list().isEmpty());
    }
  }

  @Test
  void aForcedAttachTakesTheDiskFromTheOtherVmOnlyWhenItIsHeldThere() {
    Vm other = vbox.addVm("node-2", "Running", "PIIX3");
    vbox.addController(other, "SATA", "SATA", 4);
    try (StorageDriver driver = open()) {
      Volume volume = driver.create(VolumeName.of("pgdata"), ONE_GIB);
      InstanceId there = InstanceId.of(other.uuid);
      driver.attach(volume.id(), there, false);
      vbox.resetCounts();

      Attachment here = driver.attach(volume.id(), driver.localInstance().id(), true);

      assertEquals(List.of(here), driver.find(volume.id()).orElseThrow().attachments());
      assertEquals(1, vbox.calls("IMachine_detachDevice"));
      assertEquals(2, vbox.calls("IMachine_attachDevice"), "refused there, then done here");
      driver.detach(volume.id(), driver.localInstance().id(), false);
    }
  }
}
