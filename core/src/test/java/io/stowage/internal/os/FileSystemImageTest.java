package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stowage.model.FsType;
import io.stowage.internal.os.exec.CommandRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real mkfs on image files (no root needed): the superblock probe names what mkfs made. Needs
 * the mkfs binaries; under CI=true they must be installed.
 */
class FileSystemImageTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({"ext4, 32", "ext3, 32", "xfs, 320"})
  void probeNamesTheFileSystemMkfsCreated(String type, long mib) throws IOException {
    HostEnvironment.requireBinary("mkfs." + type);
    Path image = image(type + " image.img", mib);
    LinuxHost host = new LinuxHost(new CommandRunner(), HostTimeouts.defaults());
    assertEquals(Optional.empty(), Superblocks.examine(image, 0).type());
    host.format(image, FsType.of(type));
    assertEquals(Optional.of(type), Superblocks.examine(image, 0).type());
    assertEquals(Optional.of(type), host.fileSystemType(image));
  }

  @ParameterizedTest
  @CsvSource({"ext4, 32", "ext4, 300", "xfs, 320"})
  void theSuperblockGivesTheSizeMkfsMade(String type, long mib) throws IOException {
    HostEnvironment.requireBinary("mkfs." + type);
    Path image = image(type + ".img", mib);
    assertEquals(Optional.empty(), Superblocks.fileSystemBytes(image));
    new LinuxHost(new CommandRunner(), HostTimeouts.defaults()).format(image, FsType.of(type));
    assertEquals(Optional.of(mib * 1024 * 1024), Superblocks.fileSystemBytes(image));
  }

  /** A sparse image file of a size, in the test's directory. */
  private Path image(String name, long mib) throws IOException {
    Path image = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(mib * 1024 * 1024);
    }
    return image;
  }
}
