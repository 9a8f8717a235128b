package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.driver.virtualbox.DoubleModel.Disk;
import io.stowage.driver.virtualbox.DoubleModel.Vm;
import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.ByteSize;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The volume operations against the vboxwebsrv double. */
class VirtualBoxBackendTest {
  private static final ByteSize FIVE_GIB = ByteSize.ofGiB(5);

  @TempDir
  Path temp;
  VboxFixture fixture;
  VboxWebServiceDouble vbox;
  VirtualBoxBackend backend;

  @BeforeEach
  void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    vbox = fixture.vbox;
    backend = fixture.backend();
  }

  @AfterEach
  void stop() {
    backend.close();
    fixture.assertRequestsValid();
    assertFalse(vbox.anyMachineLocked(), "a machine was left locked");
    fixture.close();
  }

  // create, find, list, remove

  @Test
  void createFindListAndRemoveAVolume() {
    VboxVolume created = backend.create("pgdata", FIVE_GIB);

    assertEquals("/vbox/volumes/pgdata.vmdk", created.location());
    assertEquals(FIVE_GIB.bytes(), created.logicalSize());
    assertTrue(vbox.fileExists(created.location()));
    assertEquals(Optional.of(created), backend.findByName("pgdata"));
    assertEquals(Optional.of(created), backend.findById(created.id().value()));
    assertEquals(List.of(created), backend.list());

    backend.remove(created.id().value());

    assertFalse(vbox.fileExists(created.location()));
    assertEquals(Optional.empty(), backend.findByName("pgdata"));
    assertEquals(Optional.empty(), backend.findById(created.id().value()));
    assertEquals(List.of(), backend.list());
  }

  @Test
  void disksOutsideTheVolumeDirectoryAreNeverListedFoundOrTouched() {
    Disk other = vbox.addDisk("/vbox/vms/node-2/data.vmdk", 1L << 30);
    vbox.addDisk("/vbox/volumes-old/old.vmdk", 1L << 30);
    vbox.addDisk("/vbox/volumes/nested/inner.vmdk", 1L << 30);
    vbox.addDisk("/vbox/volumes/other-format.vdi", 1L << 30);
    VboxVolume mine = backend.create("mine", FIVE_GIB);

    assertEquals(List.of(mine), backend.list());
    assertEquals(Optional.empty(), backend.findById(other.uuid));
    assertThrows(VolumeNotFoundException.class, () -> backend.remove(other.uuid));
    assertThrows(VolumeNotFoundException.class,
        () -> backend.attach(other.uuid, fixture.local.uuid));
    assertTrue(vbox.registeredDisk(other.location).isPresent());
  }

  @Test
  void anImageFileInTheVolumeDirectoryThatVirtualBoxDoesNotKnowIsFoundByName() {
    vbox.addUnregisteredImage("/vbox/volumes/restored.vmdk");

    Optional<VboxVolume> found = backend.findByName("restored");

    assertTrue(found.isPresent());
    assertTrue(vbox.registeredDisk("/vbox/volumes/restored.vmdk").isPresent());
    assertEquals(Optional.empty(), backend.findByName("missing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "a/b", "..", "x\\y", "C:evil", ""})
  void aNameThatWouldLeaveTheVolumeDirectoryIsRefusedBeforeAnyCall(String name) {
    assertThrows(InvalidArgumentException.class, () -> backend.create(name, FIVE_GIB));
    assertThrows(InvalidArgumentException.class, () -> backend.findByName(name));
    assertEquals(0, vbox.totalCalls());
  }

  @Test
  void anIdThatIsNoMediumUuidNamesNoVolumeAndCostsNoCall() {
    assertEquals(Optional.empty(), backend.findById("/vbox/vms/node-1/node-1.vmdk"));
    assertThrows(VolumeNotFoundException.class, () -> backend.remove("../x"));
    assertEquals(0, vbox.totalCalls());
  }

  @Test
  void aCreationThatFailsInItsProgressLeavesNoMediumBehind() {
    backend.list();
    int references = vbox.liveReferences();
    vbox.failNextCreation(ResultCodes.VBOX_E_FILE_ERROR, "Could not create the medium storage"
        + " unit '/vbox/volumes/big.vmdk'.\nVD: error VERR_DISK_FULL");

    // a file error of the volume directory is a setting to check, with VirtualBox's reason
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> backend.create("big", ByteSize.ofGiB(500)));

    assertTrue(e.getMessage().contains("VirtualBox cannot create volume \"big\" at"
        + " /vbox/volumes/big.vmdk (creating volume \"big\" at /vbox/volumes/big.vmdk failed:"
        + " Could not create the medium storage unit"), e.getMessage());
    assertTrue(e.getMessage().contains("VERR_DISK_FULL"), e.getMessage());
    assertTrue(e.getMessage().contains("virtualbox.volumePath \"/vbox/volumes\""),
        e.getMessage());
    assertEquals(Optional.empty(), vbox.registeredDisk("/vbox/volumes/big.vmdk"));
    assertFalse(vbox.fileExists("/vbox/volumes/big.vmdk"));
    assertEquals(List.of(), backend.list());
    assertEquals(references, vbox.liveReferences(), "medium and progress references released");
  }

  @Test
  void aCreationOverAFileOfTheSameNameFailsAndLeavesThatFileAlone() {
    vbox.addUnregisteredImage("/vbox/volumes/taken.vmdk");

    VolumeAlreadyExistsException e = assertThrows(VolumeAlreadyExistsException.class,
        () -> backend.create("taken", FIVE_GIB));

    assertEquals("taken", e.volume());

    assertTrue(vbox.fileExists("/vbox/volumes/taken.vmdk"));
    assertTrue(backend.findByName("taken").isPresent());
  }

  @Test
  void aCreationThatOutlastsTheProgressTimeoutIsCancelledAndLeavesNothing() {
    backend.close();
    backend = backend(s -> new BackendSettings(s.volumePath(), s.controllerName(),
        s.mediumFormat(), s.localMachineNameOrId(), s.netRoot(), Duration.ofMillis(300),
        s.lockTimeout()));
    vbox.hangNextCreation();

    OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
        () -> backend.create("slow", FIVE_GIB));

    assertTrue(e.getMessage().contains("creating volume \"slow\""), e.getMessage());
    assertEquals(1, vbox.calls("IProgress_cancel"));
    assertEquals(Optional.empty(), vbox.registeredDisk("/vbox/volumes/slow.vmdk"));
    assertFalse(vbox.fileExists("/vbox/volumes/slow.vmdk"));
  }

  @Test
  void removingAnAttachedVolumeIsRefusedAndChangesNothing() {
    VboxVolume volume = backend.create("busy", FIVE_GIB);
    backend.attach(volume.id().value(), fixture.local.uuid);

    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> backend.remove(volume.id().value()));

    assertEquals(fixture.local.uuid, e.holder());
    assertTrue(vbox.fileExists(volume.location()));
  }

  // attach and detach

  @Test
  void attachingToTheRunningLocalMachineHotPlugsUnderASharedLock() {
    VboxVolume volume = backend.create("data", FIVE_GIB);
    String local = backend.localMachine().uuid();

    VboxAttachment attachment = backend.attach(volume.id().value(), local);

    assertEquals(new VboxAttachment(volume.id(), local, "SATA", 1, 0), attachment);
    assertEquals(Map.of(0, vbox.registeredDisk("/vbox/vms/node-1/node-1.vmdk").orElseThrow()
        .uuid, 1, volume.id().value()), vbox.attachedDisks(fixture.local, "SATA"));
    assertEquals(List.of("node-1:Shared"), vbox.lockRequests());
    assertEquals(List.of(local), backend.findByName("data").orElseThrow().machineIds());

    assertTrue(backend.detach(volume.id().value(), local));

    assertEquals(1, vbox.attachedDisks(fixture.local, "SATA").size());
    assertEquals(List.of("node-1:Shared", "node-1:Shared"), vbox.lockRequests());
    assertFalse(backend.detach(volume.id().value(), local), "not attached any more");
    assertEquals(2, vbox.lockRequests().size(), "no lock for a volume that is not attached");
  }

  @Test
  void attachingToAPoweredOffMachineTakesAWriteLockAndMarksTheDiskHotPluggable() {
    Vm stopped = vbox.addVm("node-2", "PoweredOff", "PIIX3", "080027BB0001");
    vbox.addController(stopped, "SATA", "SATA", 4);
    VboxVolume volume = backend.create("data", FIVE_GIB);

    VboxAttachment attachment = backend.attach(volume.id().value(), stopped.uuid);

    assertEquals(0, attachment.port());
    assertEquals(List.of("node-2:Write"), vbox.lockRequests());
    Disk disk = vbox.registeredDisk(volume.location()).orElseThrow();
    assertTrue(vbox.hotPluggable(stopped, disk), "detachable once the machine runs");

    vbox.setState(stopped, "Running");
    assertTrue(backend.detach(volume.id().value(), stopped.uuid));
    assertEquals(Map.of(), vbox.attachedDisks(stopped, "SATA"));
  }

  @Test
  void aControllerWithOnePortTakesTheDiskOnThatPort() {
    Vm small = vbox.addVm("small", "Running", "PIIX3");
    vbox.addController(small, "SATA", "SATA", 1);
    VboxVolume volume = backend.create("data", FIVE_GIB);

    assertEquals(0, backend.attach(volume.id().value(), small.uuid).port());
  }

  @Test
  void whenEveryConfiguredPortHoldsADeviceTheAttachIsRefusedAndChangesNothing() {
    Vm full = vbox.addVm("full", "Running", "PIIX3");
    vbox.addController(full, "SATA", "SATA", 2);
    vbox.attach(full, "SATA", 0, vbox.addDisk("/vbox/vms/full/a.vmdk", 1L << 30));
    vbox.attach(full, "SATA", 1, vbox.addDisk("/vbox/vms/full/b.vmdk", 1L << 30));
    VboxVolume volume = backend.create("data", FIVE_GIB);

    BackendException e = assertThrows(BackendException.class,
        () -> backend.attach(volume.id().value(), full.uuid));

    assertTrue(e.getMessage().contains("all 2 ports of storage controller \"SATA\""),
        e.getMessage());
    assertTrue(e.getMessage().contains("--portcount"), e.getMessage());
    assertEquals(2, vbox.attachedDisks(full, "SATA").size());
    assertEquals(0, vbox.calls("IMachine_attachDevice"));
    assertEquals(1, vbox.calls("IMachine_discardSettings"));
  }

  @Test
  void aControllerNameTheMachineDoesNotHaveIsAConfigurationErrorListingItsControllers() {
    backend.close();
    backend = backend(s -> new BackendSettings(s.volumePath(), "SCSI Controller",
        s.mediumFormat(), s.localMachineNameOrId(), s.netRoot(), s.progressTimeout(),
        s.lockTimeout()));
    VboxVolume volume = backend.create("data", FIVE_GIB);

    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> backend.attach(volume.id().value(), backend.localMachine().uuid()));

    assertTrue(e.getMessage().contains("virtualbox.controllerName \"SCSI Controller\" names no"
        + " storage controller of VirtualBox machine \"node-1\""), e.getMessage());
    assertTrue(e.getMessage().contains("it has \"SATA\""), e.getMessage());
    assertEquals(0, vbox.calls("IMachine_lockMachine"));
  }

  @Test
  void anIdeControllerOfARunningMachineIsRefusedBecauseItCannotHotPlug() {
    vbox.addController(fixture.local, "IDE", "IDE", 2);
    backend.close();
    backend = backend(s -> new BackendSettings(s.volumePath(), "IDE", s.mediumFormat(),
        s.localMachineNameOrId(), s.netRoot(), s.progressTimeout(), s.lockTimeout()));
    VboxVolume volume = backend.create("data", FIVE_GIB);

    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> backend.attach(volume.id().value(), fixture.local.uuid));

    assertTrue(e.getMessage().contains("is on the IDE bus, which cannot hot-plug a disk while"
        + " the machine runs"), e.getMessage());
    // found out from VirtualBox's refusal, so that an attach costs no call for the bus
    assertEquals(1, vbox.calls("IMachine_discardSettings"));
    assertEquals(Map.of(), vbox.attachedDisks(fixture.local, "IDE"));
  }

  @Test
  void anIdeControllerOfAPoweredOffMachineTakesTheDisk() {
    Vm stopped = vbox.addVm("node-2", "PoweredOff", "PIIX3");
    vbox.addController(stopped, "IDE", "IDE", 2);
    backend.close();
    backend = backend(s -> new BackendSettings(s.volumePath(), "IDE", s.mediumFormat(),
        s.localMachineNameOrId(), s.netRoot(), s.progressTimeout(), s.lockTimeout()));
    VboxVolume volume = backend.create("data", FIVE_GIB);

    assertEquals(0, backend.attach(volume.id().value(), stopped.uuid).port());
    assertFalse(vbox.hotPluggable(stopped, vbox.registeredDisk(volume.location()).orElseThrow()));
  }

  @Test
  void aPortTakenByAnotherClientMeanwhileMakesTheAttachMoveToTheNextPort() {
    VboxVolume volume = backend.create("data", FIVE_GIB);
    vbox.takePortOnNextAttach();

    VboxAttachment attachment = backend.attach(volume.id().value(), fixture.local.uuid);

    assertEquals(2, attachment.port());
    assertEquals(2, vbox.calls("IMachine_attachDevice"));
    assertEquals(volume.id().value(), vbox.attachedDisks(fixture.local, "SATA").get(2));
  }

  @Test
  void attachingAVolumeTheMachineHasAlreadyChangesNothing() {
    VboxVolume volume = backend.create("data", FIVE_GIB);
    VboxAttachment first = backend.attach(volume.id().value(), fixture.local.uuid);

    assertEquals(first, backend.attach(volume.id().value(), fixture.local.uuid));
    assertEquals(1, vbox.calls("IMachine_attachDevice"));
  }

  @Test
  void aVolumeAttachedToAnotherMachineIsInUseThereAndForceDetachFreesIt() {
    Vm other = vbox.addVm("node-2", "Running", "PIIX3");
    vbox.addController(other, "SATA", "SATA", 4);
    VboxVolume volume = backend.create("shared", FIVE_GIB);
    backend.attach(volume.id().value(), other.uuid);

    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> backend.attach(volume.id().value(), fixture.local.uuid));
    assertEquals(other.uuid, e.holder());
    assertEquals(1, vbox.attachedDisks(fixture.local, "SATA").size());

    assertEquals(List.of(other.uuid), backend.detachEverywhere(volume.id().value()));
    assertEquals(1, backend.attach(volume.id().value(), fixture.local.uuid).port());
  }

  @Test
  void parallelAttachesFromTwoClientsToOneMachineEachGetTheirOwnPort() throws Exception {
    List<VboxVolume> volumes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      volumes.add(backend.create("v" + i, FIVE_GIB));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (VirtualBoxBackend second = fixture.backend()) {
      List<Future<VboxAttachment>> attached = new ArrayList<>();
      for (int i = 0; i < volumes.size(); i++) {
        // two back ends stand for two processes: their locks do not see each other
        VirtualBoxBackend client = i % 2 == 0 ? backend : second;
        String id = volumes.get(i).id().value();
        attached.add(pool.submit(() -> client.attach(id, fixture.local.uuid)));
      }
      Set<Integer> ports = new TreeSet<>();
      for (Future<VboxAttachment> f : attached) {
        ports.add(f.get(30, TimeUnit.SECONDS).port());
      }
      assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), ports);
      assertEquals(9, vbox.attachedDisks(fixture.local, "SATA").size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMachineAnotherSessionKeepsLockedIsReportedAsRetryableAfterTheLockTimeout() {
    Vm stopped = vbox.addVm("node-2", "PoweredOff", "PIIX3");
    vbox.addController(stopped, "SATA", "SATA", 4);
    VboxVolume volume = backend.create("data", FIVE_GIB);
    vbox.holdLock(stopped, true);

    BackendException e = assertThrows(BackendException.class,
        () -> backend.attach(volume.id().value(), stopped.uuid));

    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("stayed locked by another session"), e.getMessage());
    assertTrue(vbox.calls("IMachine_lockMachine") > 1, "tried again while waiting");
    vbox.holdLock(stopped, false);
    assertEquals(0, backend.attach(volume.id().value(), stopped.uuid).port());
  }

  @Test
  void aMachineWithASavedStateIsRefused() {
    Vm saved = vbox.addVm("node-2", "Saved", "PIIX3");
    vbox.addController(saved, "SATA", "SATA", 4);
    VboxVolume volume = backend.create("data", FIVE_GIB);

    BackendException e = assertThrows(BackendException.class,
        () -> backend.attach(volume.id().value(), saved.uuid));

    assertTrue(e.getMessage().contains("is in state Saved"), e.getMessage());
    assertEquals(0, vbox.calls("IMachine_lockMachine"));
  }

  @Test
  void anUnknownMachineIsAnInvalidInstance() {
    VboxVolume volume = backend.create("data", FIVE_GIB);

    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> backend.attach(volume.id().value(), "00000000-0000-0000-0000-000000000000"));
    assertEquals("instance id", e.field());
  }

  // the web session under the operations

  @Test
  void anExpiredWebSessionIsRenewedInTheMiddleOfTheWork() {
    VboxVolume volume = backend.create("data", FIVE_GIB);
    backend.localMachine();
    vbox.expireSessions();

    VboxAttachment attachment = backend.attach(volume.id().value(), fixture.local.uuid);

    assertEquals(1, attachment.port());
    assertEquals(2, vbox.calls("IWebsessionManager_logon"));
    assertTrue(backend.detach(volume.id().value(), fixture.local.uuid));
  }

  @Test
  void theReferencesTheWorkLeavesInTheWebSessionDoNotGrow() {
    VboxVolume volume = backend.create("data", FIVE_GIB);
    cycle(volume);
    int references = vbox.liveReferences();

    for (int i = 0; i < 5; i++) {
      cycle(volume);
    }

    assertEquals(references, vbox.liveReferences());
  }

  @Test
  void closeLogsOff() {
    backend.list();
    backend.close();

    assertEquals(1, vbox.calls("IWebsessionManager_logoff"));
    assertEquals(0, vbox.liveSessions());
  }

  private void cycle(VboxVolume volume) {
    backend.attach(volume.id().value(), fixture.local.uuid);
    backend.detach(volume.id().value(), fixture.local.uuid);
    assertEquals(Optional.empty(), backend.findByName("absent"));
    vbox.failNextCreation(ResultCodes.E_FAIL, "no");
    assertThrows(VirtualBoxFault.class, () -> backend.create("failing", FIVE_GIB));
    backend.list();
  }

  private VirtualBoxBackend backend(UnaryOperator<BackendSettings> change) {
    return new VirtualBoxBackend(fixture.endpoint(), change.apply(fixture.settings()),
        Clock.systemUTC());
  }
}
