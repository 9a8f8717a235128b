package io.stowage.cli;

import io.stowage.config.StowageConfig;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the directories Stowage fills on this host, the state directory and the mount root,
 * without creating anything: each must be a directory, or be creatable under its nearest
 * existing parent, on a file system mounted read-write. {@code config check} reports these as
 * configuration problems and {@code doctor} as failed checks, where it also asks whether this
 * user may write there.
 */
final class HostDirectories {
  private HostDirectories() {}

  /** The directories a configuration names, each with its setting's key. */
  static List<Named> of(StowageConfig config) {
    return List.of(
        new Named("state directory", "stowage.state.directory", config.stateDirectory()),
        new Named("mount root", "stowage.volume.mount.root", config.volumeSettings().mountRoot()));
  }

  /**
   * A directory and the setting that names it.
   *
   * @param label what it is, for people
   * @param key the configuration key
   * @param dir the directory
   */
  record Named(String label, String key, Path dir) {}

  /**
   * Says how a usable directory will be used: it exists, or under which directory it will be
   * created.
   */
  static String usable(Named named) {
    Path dir = named.dir().toAbsolutePath().normalize();
    Path existing = nearestExisting(dir);
    return existing.equals(dir) ? dir + " is writable" : dir + " can be created in " + existing;
  }

  private static Path nearestExisting(Path dir) {
    Path existing = dir;
    while (!Files.exists(existing) && existing.getParent() != null) {
      existing = existing.getParent();
    }
    return existing;
  }

  /**
   * Returns every problem of the configured directories that no user could fix by running as
   * root: a file where a directory should be, a read-only file system.
   */
  static List<String> problems(StowageConfig config) {
    List<String> problems = new ArrayList<>();
    for (Named named : of(config)) {
      problem(named, false).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * Returns what keeps a directory from being used, if anything.
   *
   * @param named the directory and its key
   * @param writableByThisUser also whether this process may write there
   * @return the problem, one sentence naming the key
   */
  static Optional<String> problem(Named named, boolean writableByThisUser) {
    Path dir = named.dir().toAbsolutePath().normalize();
    Path existing = nearestExisting(dir);
    String where = named.key() + " " + dir;
    if (!Files.isDirectory(existing)) {
      return Optional.of(where + (existing.equals(dir) ? " is not a directory"
          : " cannot be created: " + existing + " is not a directory"));
    }
    try {
      FileStore store = Files.getFileStore(existing);
      if (store.isReadOnly()) {
        return Optional.of(where + " is on a read-only file system (" + store + ")");
      }
    } catch (IOException e) {
      return Optional.of(where + " cannot be checked: " + e.getMessage());
    }
    if (writableByThisUser && !Files.isWritable(existing)) {
      return Optional.of(where + (existing.equals(dir) ? " is not writable"
          : " cannot be created in " + existing) + " by this user");
    }
    return Optional.empty();
  }
}
