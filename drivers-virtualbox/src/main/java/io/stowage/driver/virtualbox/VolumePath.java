package io.stowage.driver.virtualbox;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.VolumeName;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The directory on the VirtualBox host that holds the volumes, and the rule that maps volume
 * names to disk locations there: volume {@code pgdata} is {@code <volumePath>/pgdata.vmdk}.
 * Only disks directly in that directory with the format's extension are volumes; every other
 * disk VirtualBox knows belongs to someone else and is never listed or touched.
 *
 * <p>The path is a path on the VirtualBox host, not on this one, so it is handled as text: a
 * Unix path ({@code /...}) or a Windows path ({@code C:\...}, {@code \\server\share\...},
 * compared without regard to case and with either separator).
 */
final class VolumePath {
  private final String root;
  private final boolean windows;
  private final String extension;

  /**
   * Checks the directory and the format.
   *
   * @param volumePath the absolute, normalized directory on the VirtualBox host
   * @param format the medium format, whose lower-cased name is the file extension
   * @throws ConfigurationException when the path is empty, relative or not normalized
   */
  VolumePath(String volumePath, String format) {
    this.windows = volumePath != null && isWindowsPath(volumePath);
    this.root = checkRoot(volumePath, windows);
    this.extension = "." + format.toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the disk location of a volume name.
   *
   * @param name the volume name
   * @return the location, such as {@code /vbox/volumes/pgdata.vmdk}
   * @throws InvalidArgumentException when the name would leave the directory or is no legal
   *     volume name
   */
  String locationOf(String name) {
    if (name != null && (name.contains("/") || name.contains("\\") || name.contains("..")
        || name.contains(":"))) {
      throw new InvalidArgumentException("volume name", name,
          "must not contain '/', '\\', ':' or '..': it would name a file outside volumePath "
              + root);
    }
    VolumeName.of(name);
    return root + separator() + name + extension;
  }

  /**
   * Returns the volume name of a disk location, if the disk is one of the volumes.
   *
   * @param location the location VirtualBox reports
   * @return the name, or empty for a disk elsewhere, of another format or with a name that is
   *     not a legal volume name
   */
  Optional<String> nameOf(String location) {
    String prefix = root + separator();
    if (location.length() <= prefix.length() + extension.length()
        || !regionMatches(location, 0, prefix)
        || !regionMatches(location, location.length() - extension.length(), extension)) {
      return Optional.empty();
    }
    String name = location.substring(prefix.length(), location.length() - extension.length());
    if (name.contains("/") || name.contains("\\") || !VolumeName.isLegal(name)) {
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /**
   * Returns the directory as configured, without a trailing separator.
   *
   * @return the directory
   */
  String root() {
    return root;
  }

  private String separator() {
    return windows ? "\\" : "/";
  }

  private boolean regionMatches(String location, int offset, String expected) {
    if (!windows) {
      return location.startsWith(expected, offset);
    }
    return location.replace('/', '\\').regionMatches(true, offset, expected, 0,
        expected.length());
  }

  private static boolean isWindowsPath(String path) {
    return path.startsWith("\\\\")
        || path.length() >= 3 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':'
            && (path.charAt(2) == '\\' || path.charAt(2) == '/');
  }

  private static String checkRoot(String path, boolean windows) {
    String problem = null;
    if (path == null || path.isBlank()) {
      problem = "virtualbox.volumePath is required: the directory on the VirtualBox host that"
          + " holds the volumes' disk files";
    } else if (!windows && !path.startsWith("/")) {
      problem = "virtualbox.volumePath " + InvalidArgumentException.quote(path)
          + " must be an absolute path on the VirtualBox host";
    } else {
      String normalized = windows ? path.replace('/', '\\') : path;
      String separator = windows ? "\\" : "/";
      String body = windows && normalized.startsWith("\\\\") ? normalized.substring(2)
          : normalized;
      while (body.length() > 1 && body.endsWith(separator)) {
        body = body.substring(0, body.length() - 1);
      }
      String[] segments = body.split(Pattern.quote(separator), -1);
      for (int i = 1; i < segments.length; i++) {
        String segment = segments[i];
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          problem = "virtualbox.volumePath " + InvalidArgumentException.quote(path)
              + " must be a normalized path (no empty, '.' or '..' parts)";
        }
      }
      if (problem == null) {
        String root = (normalized.startsWith("\\\\") ? "\\\\" : "") + body;
        return root.equals("/") ? "" : root;
      }
    }
    throw new ConfigurationException("the virtualbox driver settings", List.of(problem));
  }
}
