package io.stowage.internal.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the mount root and the state directory may lie relative to each other. Volumes mount
 * at {@code <mount root>/<name>}, so a directory inside the mount root can be covered by a
 * volume named like it, and the state under it would be hidden and then lost: the state
 * directory must be neither the mount root nor inside it. The mount root may lie inside the
 * state directory (the defaults do), but not inside the directories the state store itself
 * fills.
 */
final class Placement {
  /** The state store's own directories under the state directory (see {@code StateStore}). */
  static final List<String> STATE_STORE_DIRECTORIES = List.of("records", "locks", "corrupt");

  private Placement() {}

  /** Records a problem when the two directories lie where a mount could lose the state. */
  static void check(Typing.Typed<Path> mountRoot, Typing.Typed<Path> stateDirectory,
      Findings findings) {
    Path root = mountRoot.value();
    Path state = stateDirectory.value();
    Layer layer = later(mountRoot.layer(), stateDirectory.layer());
    String both = Schema.STATE_DIRECTORY.key() + " " + state + " (" + stateDirectory.source()
        + ") and " + Schema.MOUNT_ROOT.key() + " " + root + " (" + mountRoot.source() + ")";
    if (state.startsWith(root)) {
      findings.problem(layer, "placement", both + ": the state directory must not be the mount"
          + " root or inside it, where a volume mounted at " + root + "/<name> could cover it"
          + " and lose the state; give each a directory of its own");
    } else if (root.startsWith(state) && !root.equals(state)
        && STATE_STORE_DIRECTORIES.contains(state.relativize(root).getName(0).toString())) {
      findings.problem(layer, "placement", both + ": the mount root must not be inside the"
          + " state store's own directory " + state.resolve(state.relativize(root).getName(0))
          + ", where a mounted volume could cover its files; use " + state.resolve("volumes")
          + " or a directory outside the state directory");
    }
  }

  private static Layer later(Optional<Layer> a, Optional<Layer> b) {
    Layer x = a.orElse(Layer.FILE);
    Layer y = b.orElse(Layer.FILE);
    return x.compareTo(y) >= 0 ? x : y;
  }
}
