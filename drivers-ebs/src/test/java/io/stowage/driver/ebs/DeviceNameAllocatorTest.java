package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceNameAllocatorTest {
  @Test
  void theLargeRangeHas650Names() {
    assertEquals(25 * 26, DeviceNameAllocator.LARGE_RANGE.size());
    assertEquals("xvdba", DeviceNameAllocator.LARGE_RANGE.get(0));
    assertEquals("xvdzz", DeviceNameAllocator.LARGE_RANGE.get(649));
  }

  @Test
  void namesAreNormalisedToTheXvdSpellingOfTheDisk() {
    assertEquals("xvdf", DeviceNameAllocator.normalise("/dev/sdf"));
    assertEquals("xvda", DeviceNameAllocator.normalise("sda1"));
    assertEquals("xvdba", DeviceNameAllocator.normalise("/dev/xvdba"));
    assertEquals("xvdb", DeviceNameAllocator.normalise(" SDB "));
  }

  @Test
  void namesComeInRandomOrderAndAreNeverHandedOutTwice() {
    DeviceNameAllocator names = new DeviceNameAllocator(Set.of(), n -> false, new Random(5));
    List<String> order = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 650; i++) {
      String name = names.next();
      assertTrue(name.matches("/dev/xvd[b-z][a-z]"), name);
      assertTrue(seen.add(name), "handed out twice: " + name);
      order.add(name);
    }
    assertFalse(order.subList(0, 5).equals(List.of("/dev/xvdba", "/dev/xvdbb", "/dev/xvdbc",
        "/dev/xvdbd", "/dev/xvdbe")), "random, not ascending");
    BackendException full = assertThrows(BackendException.class, names::next);
    assertTrue(full.getMessage().contains("no free device name"));
    names.release(order.get(17));
    assertEquals(order.get(17), names.next());
  }

  @Test
  void mappedUnusableAndLocalNamesAreSkipped() {
    DeviceNameAllocator names = new DeviceNameAllocator(Set.of("xvdba"),
        n -> n.equals("xvdbb"), new EbsFixture.FirstChoice());
    assertEquals("/dev/xvdbc", names.next());
    names.markUnusable("/dev/xvdbd");
    assertEquals("/dev/xvdbe", names.next());
    names.refreshMappings(List.of("/dev/sdbf"));
    names.release("/dev/xvdbc");
    assertEquals("/dev/xvdba", names.next(), "xvdba is no longer mapped");
    assertEquals("/dev/xvdbc", names.next());
    assertEquals("/dev/xvdbg", names.next(), "sdbf is mapped, xvdbd refused by EC2");
  }
}
