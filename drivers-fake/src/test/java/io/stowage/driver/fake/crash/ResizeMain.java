package io.stowage.driver.fake.crash;

import io.stowage.ProgressListener;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.model.ByteSize;
import io.stowage.model.MountRequest;
import io.stowage.model.VolumeOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link InterruptedResizeTest}: mounts a 1 GiB xfs volume on a real loop
 * device, prints {@code MOUNTED}, and grows it to 2 GiB. Once the back end has grown it, as the
 * core starts on the file system, it prints {@code GROWING} and waits to be killed.
 */
public final class ResizeMain {
  static final String VOLUME = "grown";
  static final String CALLER = "task";
  static final String MOUNTED = "MOUNTED";
  static final String GROWING = "GROWING";

  private ResizeMain() {}

  /**
   * Runs the child.
   *
   * @param args the work directory
   * @throws InterruptedException never: the process is killed while it waits
   */
  public static void main(String[] args) throws InterruptedException {
    Path work = Path.of(args[0]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        true, StandardCharsets.UTF_8);
    ProgressListener killPoint = (volume, step) -> {
      if (step == ProgressListener.Step.GROWING_FILE_SYSTEM) {
        out.println(GROWING);
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Stowage stowage = MountLoopMain.builder(work).progress(killPoint).build()) {
      VolumeService volumes = stowage.volumes();
      volumes.mount(VOLUME, MountRequest.builder().caller(CALLER)
          .options(VolumeOptions.parse(Map.of("size", "1", "newfstype", "xfs"))).build());
      out.println(MOUNTED);
      volumes.resize(VOLUME, ByteSize.ofGiB(2));
    }
  }
}
