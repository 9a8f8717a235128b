package io.stowage.internal.os;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.spi.MountEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the kernel's mount table in the format of {@code /proc/self/mountinfo}
 * (see {@code proc(5)}). Each line reads
 *
 * <pre>
 * 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 * (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)   (10)         (11)
 * </pre>
 *
 * <p>mount ID, parent ID, device numbers, root, mount point, mount options, zero or more
 * optional fields, a lone {@code -}, file system type, source and super options. The kernel
 * escapes space, tab, newline and backslash in paths as three-digit octal ({@code \040},
 * {@code \011}, {@code \012}, {@code \134}); they are decoded here.
 *
 * <p>The parser is pure: it takes the text and touches nothing else.
 */
public final class MountInfo {
  private MountInfo() {
  }

  /**
   * Parses a whole mount table.
   *
   * @param text the content of a {@code mountinfo} file
   * @return one entry per non-blank line, in table order
   * @throws InvalidArgumentException when a line does not have the mountinfo layout, naming
   *     the line
   */
  public static List<MountEntry> parse(String text) {
    List<MountEntry> entries = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (!line.isBlank()) {
        entries.add(parseLine(line, lineNumber));
      }
    }
    return List.copyOf(entries);
  }

  private static MountEntry parseLine(String line, int lineNumber) {
    String[] fields = line.strip().split(" +");
    String field = "mountinfo line " + lineNumber;
    int separator = -1;
    for (int i = 6; i < fields.length; i++) {
      if (fields[i].equals("-")) {
        separator = i;
        break;
      }
    }
    if (fields.length < 7 || separator < 0) {
      throw new InvalidArgumentException(field, line, "expected at least six fields then '-'");
    }
    if (fields.length < separator + 3) {
      throw new InvalidArgumentException(field, line,
          "expected file system type and source after '-'");
    }
    int mountId;
    try {
      mountId = Integer.parseInt(fields[0]);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(field, line, "the mount ID is not a number");
    }
    String mountPoint = unescape(fields[4]);
    List<String> options = new ArrayList<>();
    for (String option : fields[5].split(",")) {
      if (!option.isEmpty()) {
        options.add(unescape(option));
      }
    }
    String fsType = unescape(fields[separator + 1]);
    String source = unescape(fields[separator + 2]);
    return new MountEntry(mountId, source, Path.of(mountPoint), fsType, options);
  }

  /**
   * Decodes the kernel's octal escapes ({@code \ooo}) in one field. A backslash not followed by
   * three octal digits is kept as it is.
   *
   * @param field the field as it appears in the table
   * @return the decoded text
   */
  public static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    byte[] in = field.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\\' && i + 3 < in.length && isOctal(in[i + 1]) && isOctal(in[i + 2])
          && isOctal(in[i + 3])) {
        int value = (in[i + 1] - '0') * 64 + (in[i + 2] - '0') * 8 + (in[i + 3] - '0');
        if (value <= 0xFF) {
          out.write(value);
          i += 3;
          continue;
        }
      }
      out.write(in[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(byte b) {
    return b >= '0' && b <= '7';
  }
}
