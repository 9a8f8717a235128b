package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessCapabilitiesTest {
  @Test
  void readsTheEffectiveSetOnly() {
    Set<Integer> bits = ProcessCapabilities.parse("""
        Name:\tjava
        CapInh:\t0000000000000000
        CapPrm:\t000001ffffffffff
        CapEff:\t000001fffeffffff
        CapBnd:\t000001ffffffffff
        """);
    assertFalse(bits.contains(ProcessCapabilities.SYS_RESOURCE), "bit 24 is off in CapEff");
    assertTrue(bits.contains(21), "CAP_SYS_ADMIN");
    assertEquals(40, bits.size());
  }

  @Test
  void noCapEffLineIsNoCapabilities() {
    assertEquals(Set.of(), ProcessCapabilities.parse("Name:\tjava\n"));
  }
}
