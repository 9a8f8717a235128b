package io.stowage.internal.os.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TailBufferTest {
  @Test
  void keepsEverythingUnderCapacity() {
    TailBuffer buffer = new TailBuffer(8);
    buffer.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
    assertEquals("abc", buffer.text());
    assertFalse(buffer.truncated());
  }

  @Test
  void keepsTheLastBytesOverCapacity() {
    TailBuffer buffer = new TailBuffer(4);
    byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
    buffer.write(data, 0, 3);
    buffer.write(data, 3, 7);
    buffer.write('X');
    assertEquals("789X", buffer.text());
    assertTrue(buffer.truncated());
  }

  @Property
  void equalsTheTailOfEverythingWritten(@ForAll @IntRange(min = 1, max = 40) int capacity,
      @ForAll @Size(max = 12) List<@Size(max = 30) byte[]> writes) {
    TailBuffer buffer = new TailBuffer(capacity);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] chunk : writes) {
      if (chunk.length == 1) {
        buffer.write(chunk[0]);
      } else {
        buffer.write(chunk, 0, chunk.length);
      }
      all.write(chunk, 0, chunk.length);
    }
    byte[] everything = all.toByteArray();
    byte[] expected = Arrays.copyOfRange(everything,
        Math.max(0, everything.length - capacity), everything.length);
    assertArrayEquals(expected, buffer.bytes());
  }
}
