package io.stowage.internal.os.exec;

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
public final class Executables {
  private static final List<String> SYSTEM_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private final List<Path> directories;

  /**
   * Creates a search path.
   *
   * @param directories the directories, in search order
   */
  public Executables(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /**
   * Returns the search path of this process: {@code PATH} then the system directories.
   *
   * @return the search path
   */
  public static Executables fromEnvironment() {
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

  /**
   * Returns the first executable regular file of that name on the search path.
   *
   * @param name a bare file name
   * @return its path, if found
   */
  public Optional<Path> find(String name) {
    for (Path dir : directories) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the executable's absolute path if found, else its bare name (to fail on start).
   *
   * @param name a bare file name, or a path, which is returned as it is
   * @return the path to run
   */
  public String resolve(String name) {
    if (name.indexOf('/') >= 0) {
      return name;
    }
    return find(name).map(Path::toString).orElse(name);
  }

  /**
   * Returns the directories searched.
   *
   * @return the directories, in search order
   */
  public List<Path> directories() {
    return directories;
  }
}
