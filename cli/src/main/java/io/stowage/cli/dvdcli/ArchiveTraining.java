package io.stowage.cli.dvdcli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Exercises dvdcli's code paths once, against a stub plugin on a unix socket, so that the
 * launcher can record every class they load in a class data sharing archive for the Java
 * runtime it runs on ({@code -XX:ArchiveClassesAtExit}, see {@code lib/launcher.sh}). Exits 0
 * unless the stub or a command that must succeed fails.
 */
final class ArchiveTraining {
  private ArchiveTraining() {}

  /**
   * Runs the commands.
   *
   * @param args ignored
   * @throws Exception when the stub cannot be served or a command fails unexpectedly
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("dvdcli-cds");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(dir.resolve("stub.sock")));
      Thread stub = new Thread(() -> serve(server), "stub-plugin");
      stub.setDaemon(true);
      stub.start();
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put(PluginLocator.DIRS_VARIABLE, dir.toString());
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      List<List<String>> ok = List.of(
          List.of("--volumedriver=stub", "path", "--volumename=v1"),
          List.of("--volumedriver=stub", "get", "--volumename=v1"),
          List.of("--volumedriver=stub", "list"),
          List.of("--volumedriver=stub", "mount", "--volumename=new",
              "--volumeopts=size=1,iops=100", "--volumeOpts", "volumetype=gp2"),
          List.of("--volumedriver=stub", "unmount", "--volumename=v1"),
          List.of("version"));
      for (List<String> command : ok) {
        int code = DvdCli.run(command.toArray(String[]::new), sink, sink, env);
        if (code != 0) {
          throw new IllegalStateException("exit " + code + " from " + command);
        }
      }
      // Failures print usage or an error; their exit codes are part of the contract.
      expect(2, DvdCli.run(new String[] {"mount", "--bogus"}, sink, sink, env));
      expect(0, DvdCli.run(new String[] {"--help"}, sink, sink, env));
      expect(1, DvdCli.run(new String[] {"--volumedriver=absent", "list"}, sink, sink, env));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void expect(int expected, int actual) {
    if (expected != actual) {
      throw new IllegalStateException("exit " + actual + ", expected " + expected);
    }
  }

  /** Answers each connection with a canned reply for its endpoint. */
  private static void serve(ServerSocketChannel server) {
    while (server.isOpen()) {
      try (SocketChannel channel = server.accept()) {
        InputStream in = Channels.newInputStream(channel);
        String head = head(in);
        String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ',
            head.indexOf(' ') + 1));
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        String request = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        byte[] body = reply(path, request).getBytes(StandardCharsets.UTF_8);
        OutputStream out = Channels.newOutputStream(channel);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (IOException | RuntimeException e) {
        if (server.isOpen()) {
          System.err.println("stub plugin: " + e);
        }
      }
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0;
    for (int c = in.read(); c >= 0; c = in.read()) {
      buf.write(c);
      matched = (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1)
          ? matched + 1 : 0;
      if (matched == 4) {
        break;
      }
    }
    return buf.toString(StandardCharsets.US_ASCII);
  }

  private static String reply(String path, String request) {
    boolean known = !request.contains("\"new\"");
    return switch (path) {
      case "/Plugin.Activate" -> "{\"Implements\":[\"VolumeDriver\"]}";
      case "/VolumeDriver.Get" -> known
          ? "{\"Volume\":{\"Name\":\"v1\",\"Mountpoint\":\"\",\"Status\":{\"size\":1,"
          + "\"sizeBytes\":1073741824,\"encrypted\":false,\"attachments\":[]}},\"Err\":\"\"}"
          : "{\"Err\":\"no such volume\"}";
      case "/VolumeDriver.List" -> "{\"Volumes\":[{\"Name\":\"v1\",\"Mountpoint\":\"\"}],"
          + "\"Err\":\"\"}";
      case "/VolumeDriver.Mount" -> "{\"Mountpoint\":\"/mnt/new\",\"Err\":\"\"}";
      case "/VolumeDriver.Path" -> "{\"Mountpoint\":\"/mnt/v1\",\"Err\":\"\"}";
      default -> "{\"Err\":\"\"}";
    };
  }
}
