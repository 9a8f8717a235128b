package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.model.ByteSize;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SOAP calls each operation costs, counted by the double: a mount's find and attach cost
 * the same with 1 and with 200 other disks registered, and a list costs one call per disk plus
 * three per volume. Prints the table the driver's documentation quotes.
 */
class CallCountTest {
  private static final ByteSize SIZE = ByteSize.ofGiB(1);

  @TempDir
  Path temp;

  @Test
  void findAndAttachDoNotGrowWithTheNumberOfDisksAndListGrowsByOneCallPerDisk() {
    Map<String, Integer> one = measure(1);
    Map<String, Integer> many = measure(200);

    System.out.println("SOAP calls per operation (steady state: logged on, local VM known)");
    System.out.printf("%-34s %12s %14s%n", "operation", "1 other disk", "200 other disks");
    one.forEach((operation, calls) ->
        System.out.printf("%-34s %12d %14d%n", operation, calls, many.get(operation)));

    for (String operation : one.keySet()) {
      if (!operation.startsWith("list")) {
        assertEquals(one.get(operation), many.get(operation), operation);
      }
    }
    int findAndAttach = one.get("find by name (existing)") + one.get("attach (running VM)");
    assertTrue(findAndAttach <= 15, "find+attach costs " + findAndAttach + " calls");
    // 2 volumes and the local VM's boot disk besides the other disks
    assertEquals(1 + (1 + 1 + 2) + 3 * 2, one.get("list (2 volumes)"));
    assertEquals(1 + (200 + 1 + 2) + 3 * 2, many.get("list (2 volumes)"));
  }

  private Map<String, Integer> measure(int otherDisks) {
    Map<String, Integer> calls = new LinkedHashMap<>();
    try (VboxFixture fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp)) {
      VboxWebServiceDouble vbox = fixture.vbox;
      for (int i = 0; i < otherDisks; i++) {
        vbox.addDisk("/vbox/vms/vm-" + i + "/disk.vmdk", 8L << 30);
      }
      DoubleModel.Vm stopped = vbox.addVm("node-2", "PoweredOff", "PIIX3");
      vbox.addController(stopped, "SATA", "SATA", 4);
      String existing;
      String other;
      try (VirtualBoxBackend earlier = fixture.backend()) {
        existing = earlier.create("existing", SIZE).id().value();
        other = earlier.create("other", SIZE).id().value();
      }
      try (VirtualBoxBackend backend = fixture.backend()) {
        String local = backend.localMachine().uuid();
        String warm = backend.create("warm", SIZE).id().value();
        backend.attach(warm, local);
        backend.detach(warm, local);
        backend.attach(warm, stopped.uuid);
        backend.detach(warm, stopped.uuid);
        backend.remove(warm);

        count(vbox, calls, "find by name (existing)", () -> backend.findByName("existing"));
        count(vbox, calls, "attach (running VM)", () -> backend.attach(existing, local));
        count(vbox, calls, "detach (running VM)", () -> backend.detach(existing, local));
        count(vbox, calls, "find by name (missing)", () -> backend.findByName("missing"));
        count(vbox, calls, "find by id (seen before)", () -> backend.findById(existing));
        count(vbox, calls, "find by id (not seen before)", () -> backend.findById(other));
        count(vbox, calls, "attach (powered-off VM)", () -> backend.attach(other, stopped.uuid));
        count(vbox, calls, "detach (powered-off VM)", () -> backend.detach(other, stopped.uuid));
        count(vbox, calls, "list (2 volumes)", backend::list);
        count(vbox, calls, "create", () -> backend.create("new", SIZE));
        backend.remove(other);
        String fresh = backend.findByName("new").orElseThrow().id().value();
        count(vbox, calls, "remove", () -> {
          backend.remove(fresh);
          return null;
        });
        count(vbox, calls, "detach from every VM (none)",
            () -> backend.detachEverywhere(existing));
      }
      fixture.assertRequestsValid();
    }
    return calls;
  }

  private static void count(VboxWebServiceDouble vbox, Map<String, Integer> calls,
      String operation, Supplier<?> action) {
    vbox.resetCounts();
    action.get();
    calls.put(operation, vbox.totalCalls());
  }
}
