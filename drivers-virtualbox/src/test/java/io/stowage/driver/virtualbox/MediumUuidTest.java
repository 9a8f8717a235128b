package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediumUuidTest {
  @Test
  void serialIsVbTheFirstWordAndTheLastWordLittleEndian() {
    MediumUuid uuid = new MediumUuid("3F2A6C1E-7B0D-4E5F-9A8B-1C2D3E4F5A6B");

    assertEquals("3f2a6c1e-7b0d-4e5f-9a8b-1c2d3e4f5a6b", uuid.value());
    assertEquals("VB3f2a6c1e-", uuid.serialPrefix());
    // au32[3] is bytes 12..15 (3e 4f 5a 6b) read as a little-endian word: 0x6b5a4f3e
    assertEquals("VB3f2a6c1e-6b5a4f3e", uuid.serial());
  }

  @Test
  void onlyUuidsAreMediumIds() {
    assertEquals(Optional.empty(), MediumUuid.parse("../etc/passwd"));
    assertEquals(Optional.empty(), MediumUuid.parse("/vbox/volumes/a.vmdk"));
    assertEquals(Optional.empty(), MediumUuid.parse(null));
    assertTrue(MediumUuid.parse("3f2a6c1e-7b0d-4e5f-9a8b-1c2d3e4f5a6b").isPresent());
    assertThrows(InvalidArgumentException.class, () -> new MediumUuid("3f2a6c1e"));
  }
}
