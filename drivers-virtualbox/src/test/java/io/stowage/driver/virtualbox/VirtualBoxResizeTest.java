package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.driver.virtualbox.DoubleModel.Vm;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.ByteSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Growing VirtualBox disks against the vboxwebsrv double ({@code IMedium_resize}, checked
 * against the request schema): VDI grows, VMDK is refused before any resize is asked, and so
 * is a disk attached to a machine, or a smaller size.
 */
class VirtualBoxResizeTest {
  private static final ByteSize ONE_GIB = ByteSize.ofGiB(1);
  private static final ByteSize TWO_GIB = ByteSize.ofGiB(2);

  @TempDir
  Path temp;
  VboxFixture fixture;
  VboxWebServiceDouble vbox;

  @BeforeEach
  void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    vbox = fixture.vbox;
  }

  @AfterEach
  void stop() {
    fixture.assertRequestsValid();
    assertFalse(vbox.anyMachineLocked(), "a machine was left locked");
    fixture.close();
  }

  private VirtualBoxBackend backend(String format) {
    BackendSettings s = fixture.settings();
    return fixture.backend(new BackendSettings(s.volumePath(), s.controllerName(), format,
        s.localMachineNameOrId(), s.netRoot(), s.progressTimeout(), s.lockTimeout()));
  }

  @Test
  void aDetachedVdiDiskGrowsAndGrowingToItsSizeChangesNothing() {
    try (VirtualBoxBackend backend = backend("VDI")) {
      VboxVolume volume = backend.create("pgdata", ONE_GIB);
      assertEquals("/vbox/volumes/pgdata.vdi", volume.location());
      vbox.resetCounts();
      VboxVolume grown = backend.grow(volume.id().value(), TWO_GIB);
      assertEquals(TWO_GIB.bytes(), grown.logicalSize());
      System.out.println("grow, session warm: " + vbox.calls());
      assertEquals(Map.of("IMedium_getLogicalSize", 1, "IMedium_getMachineIds", 1,
          "IMedium_resize", 1, "IProgress_waitForCompletion", 1, "IProgress_getCompleted", 1,
          "IProgress_getResultCode", 1, "IManagedObjectRef_release", 1), vbox.calls());
      assertEquals(TWO_GIB.bytes(), backend.findById(volume.id().value()).orElseThrow()
          .logicalSize());
      vbox.resetCounts();
      assertEquals(TWO_GIB.bytes(), backend.grow(volume.id().value(), TWO_GIB).logicalSize());
      assertEquals(Map.of("IMedium_getLogicalSize", 1, "IMedium_getMachineIds", 1),
          vbox.calls(), "growing to its size asks for no resize");
    }
  }

  @Test
  void aVmdkDiskIsRefusedNamingTheFormat() {
    try (VirtualBoxBackend backend = backend("VMDK")) {
      VboxVolume volume = backend.create("pgdata", ONE_GIB);
      UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
          () -> backend.grow(volume.id().value(), TWO_GIB));
      assertEquals("RESIZE", e.capability());
      assertTrue(e.getMessage().contains("VMDK") && e.getMessage().contains("VDI"),
          e.getMessage());
      assertEquals(0, vbox.calls("IMedium_resize"));
      assertEquals(ONE_GIB.bytes(), backend.findById(volume.id().value()).orElseThrow()
          .logicalSize());
    }
  }

  @Test
  void attachedDisksAndSmallerSizesAreRefusedAndKeepTheirSize() {
    Vm stopped = vbox.addVm("node-2", "PoweredOff", "PIIX3");
    vbox.addController(stopped, "SATA", "SATA", 30);
    try (VirtualBoxBackend backend = backend("VDI")) {
      VboxVolume volume = backend.create("pgdata", TWO_GIB);
      InvalidArgumentException shrink = assertThrows(InvalidArgumentException.class,
          () -> backend.grow(volume.id().value(), ONE_GIB));
      assertEquals("size", shrink.field());

      backend.attach(volume.id().value(), stopped.uuid);
      VolumeInUseException inUse = assertThrows(VolumeInUseException.class,
          () -> backend.grow(volume.id().value(), ByteSize.ofGiB(3)));
      assertEquals("pgdata", inUse.volume());
      assertEquals(stopped.uuid, inUse.holder());
      assertThrows(VolumeNotFoundException.class,
          () -> backend.grow(UUID.randomUUID().toString(), ByteSize.ofGiB(3)));
      assertEquals(0, vbox.calls("IMedium_resize"));
      assertEquals(Optional.of(TWO_GIB.bytes()), backend.findById(volume.id().value())
          .map(VboxVolume::logicalSize));
      backend.detach(volume.id().value(), stopped.uuid);
    }
  }

  @Test
  void theDoubleRefusesWhatVirtualBoxRefuses() {
    VboxWebClient client = fixture.client();
    try (VirtualBoxBackend backend = backend("VMDK")) {
      VboxVolume vmdk = backend.create("old", ONE_GIB);
      WebSession session = new WebSession(client, VboxFixture.USER, VboxFixture.PASSWORD);
      try {
        VirtualBoxFault fault = assertThrows(VirtualBoxFault.class, () -> session.call(logon -> {
          ObjectRef medium = client.openMedium(logon.vbox(), vmdk.location());
          ObjectRef progress = client.mediumResize(medium, TWO_GIB.bytes());
          client.progressWaitForCompletion(progress, (int) Duration.ofSeconds(1).toMillis());
          int code = client.progressGetResultCode(progress);
          throw new VirtualBoxFault("IMedium_resize", code, "the task failed");
        }));
        assertEquals(ResultCodes.VBOX_E_NOT_SUPPORTED, fault.resultCode());
        VirtualBoxFault locked = assertThrows(VirtualBoxFault.class, () -> session.call(logon
            -> client.mediumResize(client.openMedium(logon.vbox(),
                "/vbox/vms/node-1/node-1.vmdk"), 30L << 30)));
        assertEquals(ResultCodes.VBOX_E_INVALID_OBJECT_STATE, locked.resultCode());
      } finally {
        session.close();
      }
      assertEquals(List.of(), vbox.schemaViolations());
    }
  }
}
