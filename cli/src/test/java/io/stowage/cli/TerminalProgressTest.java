package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress lines on stderr for long steps, only when the launcher says stderr is a terminal. */
class TerminalProgressTest {
  @TempDir
  Path dir;

  @AfterEach
  void unmountAndClearProperty() {
    System.clearProperty(TerminalProgress.TERMINAL_PROPERTY);
    for (String volume : List.of("shown", "quiet")) {
      List<String> args = new ArrayList<>(TestHost.stowageOptions(dir));
      args.addAll(List.of("volume", "unmount", volume, "--force"));
      Main.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter()), Map.of());
    }
  }

  @Test
  void aMountOnATerminalShowsEachLongStep() {
    System.setProperty(TerminalProgress.TERMINAL_PROPERTY, "true");
    String err = run("volume", "mount", "shown", "--caller", "t1");
    assertTrue(err.contains("stowage: shown: creating the volume..."), err);
    assertTrue(err.contains("stowage: shown: attaching..."), err);
    assertTrue(err.contains("stowage: shown: waiting for the device..."), err);
    assertTrue(err.contains("stowage: shown: creating a file system..."), err);
    assertTrue(err.contains("stowage: shown: mounting..."), err);
    String unmount = run("volume", "unmount", "shown", "--caller", "t1");
    assertTrue(unmount.contains("stowage: shown: unmounting..."), unmount);
    assertTrue(unmount.contains("stowage: shown: detaching..."), unmount);
  }

  @Test
  void withoutATerminalStderrStaysQuiet() {
    String err = run("volume", "mount", "quiet", "--caller", "t1");
    assertFalse(err.contains("attaching"), err);
    run("volume", "unmount", "quiet", "--caller", "t1");
  }

  private String run(String... command) {
    List<String> args = new ArrayList<>(TestHost.stowageOptions(dir));
    args.addAll(List.of(command));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        Map.of());
    assertEquals(0, code, "stdout:\n" + out + "\nstderr:\n" + err);
    return err.toString();
  }
}
