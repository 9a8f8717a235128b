package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stowage.driver.virtualbox.DoubleModel.Vm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A vboxwebsrv double with this host's VM in it ({@code node-1}, running, PIIX3, one NIC, a
 * 30-port SATA controller), a fake sysfs net root holding that VM's MAC address, and back ends
 * over them.
 */
final class VboxFixture implements AutoCloseable {
  static final String VOLUMES = "/vbox/volumes";
  static final String USER = "stowage";
  /** A password with characters XML must escape. */
  static final String PASSWORD = "s3cr&t<pa55>";
  static final String LOCAL_MAC = "080027AA0001";

  final VboxWebServiceDouble vbox;
  final Vm local;
  final Path netRoot;

  VboxFixture(String version, Path temp) {
    vbox = VboxWebServiceDouble.start(version);
    vbox.requireCredentials(USER, PASSWORD);
    local = vbox.addVm("node-1", "Running", "PIIX3", LOCAL_MAC);
    vbox.addController(local, "SATA", "SATA", 30);
    vbox.addDisk("/vbox/vms/node-1/node-1.vmdk", 20L << 30);
    vbox.attach(local, "SATA", 0, vbox.registeredDisk("/vbox/vms/node-1/node-1.vmdk")
        .orElseThrow());
    netRoot = temp.resolve("net");
    try {
      writeNic("lo", "00:00:00:00:00:00");
      writeNic("eth0", "08:00:27:aa:00:01");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeNic(String name, String mac) throws IOException {
    Files.createDirectories(netRoot.resolve(name));
    Files.writeString(netRoot.resolve(name).resolve("address"), mac + "\n");
  }

  VirtualBoxEndpoint endpoint() {
    return VirtualBoxEndpoint.of(vbox.uri(), USER, PASSWORD, false)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  BackendSettings settings() {
    return new BackendSettings(VOLUMES, "SATA", "VMDK", Optional.empty(), netRoot,
        Duration.ofSeconds(5), Duration.ofMillis(300));
  }

  VirtualBoxBackend backend() {
    return backend(settings());
  }

  VirtualBoxBackend backend(BackendSettings settings) {
    return new VirtualBoxBackend(endpoint(), settings, Clock.systemUTC());
  }

  VboxWebClient client() {
    return new VboxWebClient(new SoapTransport(endpoint()));
  }

  /**
   * Has a guest device tree under the temporary directory show the local VM's disks.
   *
   * @param loopDevices whether disks are loop devices (root) or stand-in files
   * @return the tree, which the caller closes
   */
  GuestDisks watchGuest(boolean loopDevices) {
    GuestDisks guest = new GuestDisks(netRoot.resolveSibling("guest"), loopDevices);
    vbox.watchGuest(local, guest);
    return guest;
  }

  /**
   * Returns the driver's section for this double, its net root and a guest tree, with short
   * timeouts.
   *
   * @param guest the guest device tree
   * @return the settings by key
   */
  Map<String, Object> section(GuestDisks guest) {
    Map<String, Object> section = new HashMap<>();
    section.put("endpoint", vbox.uri().toString());
    section.put("volumePath", VOLUMES);
    section.put("username", USER);
    section.put("password", PASSWORD);
    section.put("netRoot", netRoot);
    section.put("diskIDPath", guest.diskIdPath());
    section.put("scsiHostPath", guest.scsiHostPath());
    section.put("sysBlockPath", guest.sysBlockPath());
    section.put("devPath", guest.devPath());
    section.put("connectTimeout", "2s");
    section.put("requestTimeout", "5s");
    section.put("progressTimeout", "5s");
    section.put("lockTimeout", "300ms");
    return section;
  }

  /** Fails the test when any request the double received broke the WSDL's schema. */
  void assertRequestsValid() {
    assertEquals(java.util.List.of(), vbox.schemaViolations(),
        "requests that do not match vboxwebsrv's WSDL");
    assertEquals(java.util.List.of(), vbox.guestFailures(), "guest device changes that failed");
  }

  @Override
  public void close() {
    vbox.close();
  }
}
