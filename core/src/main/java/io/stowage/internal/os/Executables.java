package io.stowage.internal.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds executables on a search path: the {@code PATH} directories, then the system binary
 * directories, since {@code mkfs.*} and {@code losetup} live in {@code sbin} directories that a
 * non-login {@code PATH} may lack. Immutable.
 */
final class Executables {
  private static final List<String> SYSTEM_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private final List<Path> directories;

  Executables(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /** Returns the search path of this process: {@code PATH} then the system directories. */
  static Executables fromEnvironment() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty() && dir.startsWith("/")) {
          dirs.add(Path.of(dir));
        }
      }
    }
    for (String dir : SYSTEM_DIRECTORIES) {
      Path p = Path.of(dir);
      if (!dirs.contains(p)) {
        dirs.add(p);
      }
    }
    return new Executables(dirs);
  }

  /** Returns the first executable regular file of that name on the search path. */
  Optional<Path> find(String name) {
    for (Path dir : directories) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Returns the executable's absolute path if found, else its bare name (to fail on start). */
  String resolve(String name) {
    return find(name).map(Path::toString).orElse(name);
  }

  List<Path> directories() {
    return directories;
  }
}
