package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.driver.virtualbox.VboxTestBed;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REX-Ray documentation's VirtualBox configuration, unchanged but for its endpoint and the
 * guest's two device roots (set through {@code VIRTUALBOX_*} variables), runs the real
 * {@code stowage} command against a vboxwebsrv double. The VM the double runs has this host's
 * MAC addresses, so the driver finds it as on a real guest; each disk the double hot-plugs into
 * it appears as a loop device linked from the temporary {@code by-id} tree, so {@code stowage
 * volume mount} formats and mounts a real ext4. Only the state directory and the mount root are
 * moved into the test's directory.
 */
class VirtualBoxSeedTest {
  private static final String SEED = "/rexray-0.3-virtualbox.yml";
  private static final String VOLUME_PATH = "/Users/youruser/VirtualBox Volumes";

  @TempDir
  Path dir;

  /** What one run of the command did. */
  private record Run(int code, String out, String err) {
    String output() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private Run stowage(Map<String, String> environment, String... args) throws IOException {
    List<String> line = new ArrayList<>(List.of("--config", seed().toString(),
        "--set=stowage.state.directory=" + dir.resolve("state"),
        "--set=stowage.volume.mount.root=" + dir.resolve("mnt")));
    line.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(line.toArray(String[]::new), new PrintWriter(out, true),
        new PrintWriter(err, true), environment);
    return new Run(code, out.toString(), err.toString());
  }

  /** The seed file, copied byte for byte. */
  private Path seed() throws IOException {
    Path file = dir.resolve("config.yml");
    if (!Files.exists(file)) {
      try (InputStream in = VirtualBoxSeedTest.class.getResourceAsStream(SEED)) {
        Files.write(file, in.readAllBytes());
      }
    }
    return file;
  }

  private static Map<String, String> environment(VboxTestBed vbox) {
    return Map.of("VIRTUALBOX_ENDPOINT", vbox.endpoint().toString(),
        "VIRTUALBOX_DISKIDPATH", vbox.diskIdPath().toString(),
        "VIRTUALBOX_SCSIHOSTPATH", vbox.scsiHostPath().toString());
  }

  @Test
  void theSeedConfigurationCreatesListsMountsUnmountsAndRemovesAVolume() throws IOException {
    TestHost.require(TestHost.loopDevices(), "root and loop devices");
    TestHost.require(!VboxTestBed.hostMacAddresses().isEmpty(),
        "a network interface with a MAC address");
    Path mountPoint = dir.resolve("mnt/pgdata");
    try (VboxTestBed vbox = VboxTestBed.start(Files.createDirectories(dir.resolve("guest")),
        true)) {
      vbox.addForeignDisk("/Users/youruser/VirtualBox VMs/packer/packer-disk1.vmdk");
      Map<String, String> env = environment(vbox);

      Run ls = stowage(env, "volume", "ls");
      assertEquals(0, ls.code(), ls.output());
      assertFalse(ls.out().contains("packer"), "another VM's disk is no volume: " + ls.out());

      Run create = stowage(env, "volume", "create", "pgdata", "--opt", "size=1");
      assertEquals(0, create.code(), create.output());
      assertTrue(vbox.hasDisk(VOLUME_PATH + "/pgdata.vmdk"), "the disk is in volumePath");
      ls = stowage(env, "volume", "ls");
      assertTrue(ls.out().contains("pgdata"), ls.output());

      Run mount = stowage(env, "volume", "mount", "pgdata");
      assertEquals(0, mount.code(), mount.output());
      assertEquals(mountPoint.resolve("data").toString(), mount.out().strip());
      assertEquals("- - -", vbox.lastScan().strip(), "the SCSI hosts were asked to rescan");
      Path device = vbox.guestDevices().get(0);
      assertTrue(device.toString().startsWith("/dev/loop"), device.toString());
      assertTrue(ext4MountedAt(mountPoint, device), "a real ext4 on " + device);
      Files.writeString(mountPoint.resolve("data/kept.txt"), "kept");

      Run unmount = stowage(env, "volume", "unmount", "pgdata");
      assertEquals(0, unmount.code(), unmount.output());
      assertEquals(List.of(), TestHost.mountsUnder(dir), "nothing is mounted");
      assertEquals(List.of(), vbox.guestDevices(), "the disk left the guest");

      mount = stowage(env, "volume", "mount", "pgdata");
      assertEquals(0, mount.code(), mount.output());
      assertEquals("kept", Files.readString(mountPoint.resolve("data/kept.txt")),
          "mounted again, not formatted again");
      unmount = stowage(env, "volume", "unmount", "pgdata");
      assertEquals(0, unmount.code(), unmount.output());

      Run escape = stowage(env, "volume", "create", "../etc");
      assertEquals(ExitCodes.USAGE, escape.code(), escape.output());

      Run rm = stowage(env, "volume", "rm", "pgdata");
      assertEquals(0, rm.code(), rm.output());
      assertFalse(vbox.hasDisk(VOLUME_PATH + "/pgdata.vmdk"), "the disk is deleted");
      ls = stowage(env, "volume", "ls");
      assertEquals(0, ls.code(), ls.output());
      assertFalse(ls.out().contains("pgdata"), ls.output());
      assertEquals(List.of(), vbox.problems());
    }
    assertEquals(List.of(), TestHost.mountsUnder(dir), "no mount is left");
    assertEquals(List.of(), TestHost.loopDevicesOver(dir), "no loop device is left");
  }

  @Test
  void anEndpointNobodyListensOnFailsTheCommandNamingIt() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port + "/";

    Run ls = stowage(Map.of("VIRTUALBOX_ENDPOINT", endpoint), "volume", "ls");

    assertEquals(ExitCodes.GENERAL, ls.code(), ls.output());
    assertTrue(ls.err().contains("cannot connect to vboxwebsrv at " + endpoint), ls.output());
  }

  private static boolean ext4MountedAt(Path mountPoint, Path device) throws IOException {
    String point = " " + mountPoint + " ";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(line -> line.contains(point) && line.contains(" - ext4 " + device + " "));
  }
}
