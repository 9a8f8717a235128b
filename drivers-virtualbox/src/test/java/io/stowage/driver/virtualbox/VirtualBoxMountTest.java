package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.Stowage;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.ByteSize;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounts through {@code Stowage} on the real host, with the guest's disks as loop devices: the
 * core formats and mounts a real ext4 on the disk the driver attached. Counts the SOAP calls of
 * each step with 1 and with 200 other disks registered, and prints the table the driver's
 * documentation quotes. Needs root and loop devices; asserts them under {@code CI=true}.
 */
class VirtualBoxMountTest {
  @TempDir
  Path temp;

  @Test
  void aMountOfAnExistingDetachedVolumeCostsTheSameFewCallsWithOneOr200OtherDisks()
      throws IOException {
    requireLoopDevices();
    Map<String, Integer> one = measure(1);
    Map<String, Integer> many = measure(200);

    System.out.println("SOAP calls through Stowage (the driver opened: logged on, VM known)");
    System.out.printf("%-44s %12s %15s%n", "step", "1 other disk", "200 other disks");
    one.forEach((step, calls) ->
        System.out.printf("%-44s %12d %15d%n", step, calls, many.get(step)));

    for (String step : one.keySet()) {
      if (!step.startsWith("list")) {
        assertEquals(one.get(step), many.get(step), step);
      }
    }
    assertTrue(one.get("mount (existing, detached)") <= 15, one.toString());
    // the local VM's boot disk and the other disks cost one call each; the volume three
    assertEquals(1 + (1 + 1 + 1) + 3, one.get("list (1 volume)"));
    assertEquals(1 + (200 + 1 + 1) + 3, many.get("list (1 volume)"));
  }

  private Map<String, Integer> measure(int otherDisks) throws IOException {
    Path dir = Files.createDirectories(temp.resolve(Integer.toString(otherDisks)));
    Map<String, Integer> calls = new LinkedHashMap<>();
    try (VboxFixture fixture = new VboxFixture(VboxWebServiceDouble.V7_1, dir);
        GuestDisks guest = fixture.watchGuest(true)) {
      VboxWebServiceDouble vbox = fixture.vbox;
      for (int i = 0; i < otherDisks; i++) {
        vbox.addDisk("/vbox/vms/vm-" + i + "/disk.vmdk", 8L << 30);
      }
      Path mountRoot = dir.resolve("mnt");
      Stowage.Builder builder = Stowage.builder()
          .setting("stowage.storageDrivers", VirtualBoxDriverProvider.NAME)
          .setting("stowage.state.directory", dir.resolve("state").toString())
          .setting("stowage.volume.mount.root", mountRoot.toString());
      fixture.section(guest).forEach((key, value) ->
          builder.setting("virtualbox." + key, value.toString()));
      vbox.resetCounts();
      try (Stowage stowage = count(vbox, calls, "open (logon, VM found by MAC)",
          builder::build)) {
        var volumes = stowage.volumes();
        count(vbox, calls, "create", () -> volumes.create("pgdata",
            VolumeOptions.parse(Map.of("size", "1"))));
        String disk = vbox.registeredDisk(VboxFixture.VOLUMES + "/pgdata.vmdk").orElseThrow()
            .uuid;
        Mount mount = count(vbox, calls, "mount (existing, detached)",
            () -> volumes.mount("pgdata", MountRequest.builder().caller("c1").build()));
        assertEquals(mountRoot.resolve("pgdata/data"), mount.path());
        assertTrue(mount.formatted(), "a new disk is formatted");
        assertEquals(guest.deviceOf(disk).orElseThrow(), mount.device());
        assertTrue(mountedExt4(mountRoot.resolve("pgdata")), "a real ext4 is mounted");
        Files.writeString(mount.path().resolve("kept.txt"), "still here");
        count(vbox, calls, "list (1 volume)", volumes::list);
        count(vbox, calls, "unmount (last use)", () -> {
          volumes.unmount("pgdata", UnmountRequest.caller("c1"));
          return null;
        });
        assertTrue(!guest.disks().contains(disk), "the disk left the guest");
        Mount again = volumes.mount("pgdata", MountRequest.builder().caller("c2").build());
        assertEquals("still here", Files.readString(again.path().resolve("kept.txt")));
        // Without ONLINE_RESIZE a mounted volume is not resized; a VMDK disk is never.
        UnsupportedCapabilityException online = assertThrows(
            UnsupportedCapabilityException.class, () -> volumes.resize("pgdata",
                ByteSize.ofGiB(2)));
        assertEquals("ONLINE_RESIZE", online.capability());
        volumes.unmount("pgdata", UnmountRequest.caller("c2"));
        UnsupportedCapabilityException vmdk = assertThrows(
            UnsupportedCapabilityException.class, () -> volumes.resize("pgdata",
                ByteSize.ofGiB(2)));
        assertEquals("RESIZE", vmdk.capability());
        assertEquals(ByteSize.ofGiB(1), volumes.find("pgdata").orElseThrow().size());
        count(vbox, calls, "remove", () -> {
          volumes.remove("pgdata", false);
          return null;
        });
      }
      assertEquals(List.of(), mountsUnder(dir), "nothing is left mounted");
      fixture.assertRequestsValid();
    }
    return calls;
  }

  private static <T> T count(VboxWebServiceDouble vbox, Map<String, Integer> calls, String step,
      Supplier<T> action) {
    vbox.resetCounts();
    T result = action.get();
    calls.put(step, vbox.totalCalls());
    return result;
  }

  private static boolean mountedExt4(Path mountPoint) throws IOException {
    String point = " " + mountPoint + " ";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(line -> line.contains(point) && line.contains(" - ext4 "));
  }

  private static List<Path> mountsUnder(Path dir) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(line -> Path.of(line.split(" ")[4].replace("\\040", " ")))
        .filter(point -> point.startsWith(dir)).toList();
  }

  /** Loop devices need root; CI provides both, elsewhere the test is skipped without. */
  private static void requireLoopDevices() {
    boolean available = GuestDisks.loopDevicesAvailable();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(available, "CI runs this test as root with /dev/loop-control");
    }
    assumeTrue(available, "needs root and loop devices");
  }
}
