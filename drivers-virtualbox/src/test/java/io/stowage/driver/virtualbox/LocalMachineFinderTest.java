package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.driver.virtualbox.DoubleModel.Vm;
import io.stowage.exception.ConfigurationException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which VirtualBox machine this host is, against VirtualBox 6.1 and 7.1. */
class LocalMachineFinderTest {
  @TempDir
  Path temp;
  VboxFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.assertRequestsValid();
      fixture.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {VboxWebServiceDouble.V6_1, VboxWebServiceDouble.V7_1})
  void findsTheRunningMachineWithThisHostsMacAskingTheAdapterCountTheVersionsWay(
      String version) throws Exception {
    fixture = new VboxFixture(version, temp);
    fixture.vbox.addVm("builder", "Running", "PIIX3", "080027BB0001", "080027BB0002");
    // an ICH9 machine has 36 adapter slots: this host's NIC is in slot 20
    Vm ich9 = fixture.vbox.addVm("node-2", "Running", "ICH9", "080027CC0001");
    fixture.vbox.setAdapter(ich9, 20, "080027CC0020", true);
    fixture.writeNic("eth0", "08:00:27:cc:00:20");

    try (VirtualBoxBackend backend = fixture.backend()) {
      assertEquals(new LocalMachine(ich9.uuid, "node-2"), backend.localMachine());
      int calls = fixture.vbox.totalCalls();
      assertEquals(new LocalMachine(ich9.uuid, "node-2"), backend.localMachine());
      assertEquals(calls, fixture.vbox.totalCalls(), "found once per back end");
    }
    boolean v61 = version.equals(VboxWebServiceDouble.V6_1);
    assertEquals(v61 ? 3 : 0, fixture.vbox.calls("IMachine_getChipsetType"));
    assertEquals(v61 ? 2 : 0, fixture.vbox.calls("ISystemProperties_getMaxNetworkAdapters"),
        "asked once per chipset");
    assertEquals(v61 ? 0 : 3, fixture.vbox.calls("IPlatform_getChipsetType"));
    assertEquals(v61 ? 0 : 1, fixture.vbox.calls("IVirtualBox_getPlatformProperties"));
    assertEquals(v61 ? 0 : 2, fixture.vbox.calls("IPlatformProperties_getMaxNetworkAdapters"));
    assertEquals(8 + 8 + 21, fixture.vbox.calls("IMachine_getNetworkAdapter"));
  }

  @Test
  void twoRunningMachinesWithThisHostsMacAreAnErrorNamingBothAndTheSetting() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    Vm clone = fixture.vbox.addVm("node-1-clone", "Running", "PIIX3", VboxFixture.LOCAL_MAC);

    try (VirtualBoxBackend backend = fixture.backend()) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, backend::localMachine);

      String message = e.getMessage();
      assertTrue(message.contains("\"node-1\" (" + fixture.local.uuid + ")"), message);
      assertTrue(message.contains("\"node-1-clone\" (" + clone.uuid + ")"), message);
      assertTrue(message.contains("080027AA0001"), message);
      assertTrue(message.contains("set virtualbox.localMachineNameOrId"), message);
    }
  }

  @Test
  void aPoweredOffCloneWithTheSameMacCannotBeThisHost() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    fixture.vbox.addVm("node-1-template", "PoweredOff", "PIIX3", VboxFixture.LOCAL_MAC);

    try (VirtualBoxBackend backend = fixture.backend()) {
      assertEquals(fixture.local.uuid, backend.localMachine().uuid());
    }
  }

  @Test
  void aDisabledAdapterWithTheSameMacIsNotAMatch() {
    fixture = new VboxFixture(VboxWebServiceDouble.V6_1, temp);
    Vm other = fixture.vbox.addVm("node-9", "Running", "PIIX3");
    fixture.vbox.setAdapter(other, 3, VboxFixture.LOCAL_MAC, false);

    try (VirtualBoxBackend backend = fixture.backend()) {
      assertEquals(fixture.local.uuid, backend.localMachine().uuid());
    }
  }

  @Test
  void noMatchingMachineIsAnErrorNamingTheSetting() throws Exception {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    fixture.writeNic("eth0", "52:54:00:12:34:56");

    try (VirtualBoxBackend backend = fixture.backend()) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, backend::localMachine);
      assertTrue(e.getMessage().contains("525400123456"), e.getMessage());
      assertTrue(e.getMessage().contains("set virtualbox.localMachineNameOrId"),
          e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void theConfiguredMachineIsTakenByNameOrUuidWithoutAMacScan(boolean byName) {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    fixture.vbox.addVm("node-1-clone", "Running", "PIIX3", VboxFixture.LOCAL_MAC);
    String nameOrId = byName ? "node-1" : fixture.local.uuid;

    try (VirtualBoxBackend backend = backend(Optional.of(nameOrId))) {
      assertEquals(new LocalMachine(fixture.local.uuid, "node-1"), backend.localMachine());
    }
    assertEquals(0, fixture.vbox.calls("IVirtualBox_getMachines"));
  }

  @Test
  void aConfiguredMachineThatDoesNotExistIsAConfigurationError() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);

    try (VirtualBoxBackend backend = backend(Optional.of("node-404"))) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, backend::localMachine);
      assertTrue(e.getMessage().contains("virtualbox.localMachineNameOrId \"node-404\" names no"
          + " VirtualBox machine"), e.getMessage());
    }
  }

  @Test
  void versionsFrom71OnUseThePlatformApi() {
    assertTrue(LocalMachineFinder.usesPlatformApi("7.1.4"));
    assertTrue(LocalMachineFinder.usesPlatformApi("7.2.0_BETA1"));
    assertTrue(LocalMachineFinder.usesPlatformApi("8.0.0"));
    assertTrue(!LocalMachineFinder.usesPlatformApi("7.0.20"));
    assertTrue(!LocalMachineFinder.usesPlatformApi("6.1.50_Ubuntu r161033"));
  }

  private VirtualBoxBackend backend(Optional<String> nameOrId) {
    BackendSettings s = fixture.settings();
    return new VirtualBoxBackend(fixture.endpoint(), new BackendSettings(s.volumePath(),
        s.controllerName(), s.mediumFormat(), nameOrId, s.netRoot(), s.progressTimeout(),
        s.lockTimeout()), Clock.systemUTC());
  }
}
