package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PortChooserTest {
  @Property
  void picksTheLowestPortBelowTheConfiguredCountThatIsNeitherUsedNorLost(
      @ForAll @IntRange(min = 0, max = 30) int portCount,
      @ForAll @Size(max = 40) Set<@IntRange(min = 0, max = 35) Integer> used,
      @ForAll @Size(max = 5) Set<@IntRange(min = 0, max = 35) Integer> lost) {
    OptionalInt port = PortChooser.firstFree(portCount, used, lost);

    Set<Integer> taken = new HashSet<>(used);
    taken.addAll(lost);
    for (int p = 0; p < portCount; p++) {
      if (!taken.contains(p)) {
        assertEquals(OptionalInt.of(p), port);
        return;
      }
    }
    assertTrue(port.isEmpty());
  }
}
