package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.stowage.spi.MountEntry;

import io.stowage.exception.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import org.junit.jupiter.api.Test;

class MountInfoTest {
  private static String resource(String name) throws IOException {
    try (InputStream in = MountInfoTest.class.getResourceAsStream("/os/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<MountEntry> sample() throws IOException {
    return MountInfo.parse(resource("mountinfo-escaped.txt"));
  }

  @Test
  void parsesEveryLineInOrder() throws IOException {
    List<MountEntry> entries = sample();
    assertEquals(List.of(22, 24, 27, 41, 42, 43, 44),
        entries.stream().map(MountEntry::mountId).toList());
    MountEntry root = entries.get(2);
    assertEquals(Path.of("/"), root.mountPoint());
    assertEquals("ext4", root.fsType());
    assertEquals("/dev/nvme0n1p2", root.source());
    assertEquals(List.of("rw", "relatime"), root.options());
  }

  @Test
  void decodesAnEscapedSpaceInTheMountPoint() throws IOException {
    MountEntry entry = sample().get(3);
    assertEquals(Path.of("/var/lib/stowage/volumes/my volume"), entry.mountPoint());
    assertEquals("/dev/loop3", entry.source());
  }

  @Test
  void skipsSeveralOptionalFieldsUpToTheSeparator() throws IOException {
    MountEntry entry = sample().get(3);
    assertEquals("xfs", entry.fsType());
    assertEquals(List.of("rw", "noatime"), entry.options());
  }

  @Test
  void decodesTabNewlineAndBackslash() throws IOException {
    List<MountEntry> entries = sample();
    assertEquals(Path.of("/mnt/tab\tand\nnewline"), entries.get(4).mountPoint());
    assertEquals(Path.of("/mnt/back\\slash"), entries.get(5).mountPoint());
  }

  @Test
  void decodesAnEscapedSpaceInTheSource() throws IOException {
    MountEntry entry = sample().get(5);
    assertEquals("user@host:/srv/my share", entry.source());
    assertEquals("fuse.sshfs", entry.fsType());
    assertEquals(List.of("ro", "nosuid", "nodev"), entry.options());
  }

  @Test
  void keepsNonAsciiPathsNextToEscapes() throws IOException {
    assertEquals(Path.of("/mnt/café bar"), sample().get(6).mountPoint());
  }

  @Test
  void ignoresBlankLinesAndAcceptsAnEmptyTable() {
    assertEquals(List.of(), MountInfo.parse(""));
    assertEquals(1, MountInfo.parse("\n22 27 0:21 / /proc rw - proc proc rw\n\n").size());
  }

  @Test
  void rejectsALineWithoutSeparatorNamingTheLine() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> MountInfo.parse("22 27 0:21 / /proc rw - proc proc rw\n23 27 0:22 / /sys rw\n"));
    assertEquals("mountinfo line 2", e.field());
    assertTrue(e.getMessage().contains("/sys"), e.getMessage());
  }

  @Test
  void rejectsALineMissingTheSourceOrABadMountId() {
    assertThrows(InvalidArgumentException.class,
        () -> MountInfo.parse("22 27 0:21 / /proc rw master:1 - proc\n"));
    assertThrows(InvalidArgumentException.class,
        () -> MountInfo.parse("x 27 0:21 / /proc rw - proc proc rw\n"));
  }

  @Test
  void keepsABackslashThatIsNotAnOctalEscape() {
    assertEquals("a\\9b\\", MountInfo.unescape("a\\9b\\"));
    assertEquals("a\\04", MountInfo.unescape("a\\04"));
  }

  @Property
  void unescapeUndoesTheKernelsEscaping(
      @ForAll @Chars({' ', '\t', '\n', '\\', '-', '\u00e9', '\u6f22'}) @AlphaChars @NumericChars
          String name) {
    String path = "/mnt/" + name;
    String line = "50 27 7:1 / " + escape(path) + " rw,relatime shared:9 - ext4 "
        + escape("/dev/" + name) + " rw";
    MountEntry entry = MountInfo.parse(line).get(0);
    assertEquals(Path.of(path), entry.mountPoint());
    assertEquals("/dev/" + name, entry.source());
  }

  /** Escapes as the kernel's mangle() does for mountinfo. */
  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
        out.append(String.format("\\%03o", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
