package io.stowage.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Reads a configuration file with bounds: a regular file (through symbolic links) of at most
 * {@link #MAX_BYTES} of UTF-8 text, of which never more than {@code MAX_BYTES + 1} bytes are
 * read. A directory, a device, a FIFO, a socket, a symbolic link loop or a larger file is refused
 * before anything is read from it.
 */
final class ConfigFile {
  /** The largest configuration file: 1 MiB. */
  static final int MAX_BYTES = 1 << 20;

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private ConfigFile() {}

  /** Why a file cannot be used, as a sentence for the user; the line is 0 when unknown. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    Unreadable(String reason) {
      this(reason, 0);
    }

    Unreadable(String reason, int line) {
      super(reason, null, false, false);
      this.line = line;
    }

    /** Returns the 1-based line the problem is on, or 0. */
    int line() {
      return line;
    }
  }

  /**
   * Reads a configuration file.
   *
   * @param path the file
   * @return its text, without a leading byte order mark
   * @throws Unreadable saying why the file cannot be used
   */
  static String read(Path path) throws Unreadable {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new Unreadable("the configuration file does not exist");
    } catch (IOException e) {
      throw new Unreadable("the configuration file cannot be read: " + reason(e));
    }
    if (attributes.isDirectory()) {
      throw new Unreadable("this is a directory; give the path of a YAML configuration file");
    }
    if (!attributes.isRegularFile()) {
      throw new Unreadable("this is not a regular file (a device, a FIFO or a socket); give the"
          + " path of a YAML configuration file");
    }
    if (attributes.size() > MAX_BYTES) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new Unreadable("the configuration file cannot be read: " + reason(e));
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge();
    }
    String text = decode(bytes);
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }

  private static Unreadable tooLarge() {
    return new Unreadable("the configuration file is larger than 1 MiB, the most Stowage reads");
  }

  /** Decodes strict UTF-8, naming the line of the first byte that is not. */
  private static String decode(byte[] bytes) throws Unreadable {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new Unreadable("the configuration file is not UTF-8 text: line " + line
          + " holds a byte sequence that is not UTF-8; save the file as UTF-8", line);
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The operating system's reason, without Java class names. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
    if (reason == null || reason.isBlank()) {
      return "an input/output error";
    }
    return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }
}
