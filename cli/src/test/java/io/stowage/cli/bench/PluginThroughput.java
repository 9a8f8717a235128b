package io.stowage.cli.bench;

import io.stowage.Stowage;
import io.stowage.cli.plugin.PluginClient;
import io.stowage.cli.plugin.PluginServer;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.model.MountRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Path and Get requests per second over the plugin socket from concurrent clients, on Stowage
 * with the fake driver (simulated host). One connection per request, as dvdcli does.
 * Usage: {@code java -cp <test-classes>:<stowage-cli.jar> io.stowage.cli.bench.PluginThroughput
 * [clients] [seconds]}.
 */
public final class PluginThroughput {
  private PluginThroughput() {}

  /**
   * Runs the benchmark.
   *
   * @param args clients (default 8) and seconds (default 10)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("stowage-bench");
    try (Stowage stowage = Stowage.builder().setting("stowage.storageDrivers", "fake")
        .setting("fake.root", dir.resolve("fake").toString()).setting("fake.devices", "simulated")
        .setting("stowage.state.directory", dir.resolve("state").toString())
        .setting("stowage.volume.mount.root", dir.resolve("mnt").toString())
        .host(new SimulatedHost(dir.resolve("host"))).build();
        PluginServer server = PluginServer.builder(stowage.volumes())
            .socket(dir.resolve("bench.sock")).build()) {
      server.start();
      for (int i = 0; i < 4; i++) {
        stowage.volumes().mount("v" + i, MountRequest.DEFAULT);
      }
      PluginClient client = PluginClient.unix(server.socket(), Duration.ofSeconds(30));
      LongAdder done = new LongAdder();
      LongAdder errors = new LongAdder();
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < clients; t++) {
        int id = t;
        Thread th = new Thread(() -> {
          int n = 0;
          while (!stop.get()) {
            String body = "{\"Name\":\"v" + (n % 4) + "\"}";
            String path = (n++ + id) % 2 == 0 ? "/VolumeDriver.Path" : "/VolumeDriver.Get";
            try {
              PluginClient.Response r = client.post(path, body);
              if (r.status() != 200 || !r.body().contains("\"Err\":\"\"")) {
                errors.increment();
              }
            } catch (Exception e) {
              errors.increment();
            }
            if (measuring.get()) {
              done.increment();
            }
          }
        });
        threads.add(th);
        th.start();
      }
      Thread.sleep(3000);
      measuring.set(true);
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      measuring.set(false);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      stop.set(true);
      for (Thread th : threads) {
        th.join();
      }
      System.out.printf("%d clients, %.1f s: %.0f requests/s (Path and Get), %d errors, %d cores%n",
          clients, elapsed, done.sum() / elapsed, errors.sum(),
          Runtime.getRuntime().availableProcessors());
      for (int i = 0; i < 4; i++) {
        stowage.volumes().unmount("v" + i, io.stowage.model.UnmountRequest.DEFAULT);
      }
    }
  }
}
