package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.stowage.Stowage;
import io.stowage.spi.Diagnosis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Stowage.builder().diagnose()} with the virtualbox driver: the endpoint, the logon, the
 * local VM and its controller, each a step, the first failure ending the list; nothing is
 * created or locked.
 */
class VirtualBoxDiagnoseTest {
  /** Operations a check must never send. */
  private static final Set<String> CHANGES = Set.of("IVirtualBox_createMedium",
      "IVirtualBox_openMedium", "IMachine_lockMachine", "IMachine_attachDevice",
      "IMachine_detachDevice", "IMedium_deleteStorage");

  @TempDir
  Path temp;
  VboxFixture fixture;
  GuestDisks guest;

  @BeforeEach
  void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    guest = fixture.watchGuest(false);
  }

  @AfterEach
  void stop() {
    try (VboxFixture closing = fixture; GuestDisks tree = guest) {
      fixture.assertRequestsValid();
      assertEquals(0, fixture.vbox.liveSessions(), "the check logged off");
    }
  }

  private List<Diagnosis> diagnose(Consumer<Map<String, Object>> change) {
    Map<String, Object> section = fixture.section(guest);
    change.accept(section);
    Stowage.Builder builder = Stowage.builder()
        .setting("stowage.storageDrivers", VirtualBoxDriverProvider.NAME)
        .setting("stowage.state.directory", temp.resolve("state").toString());
    section.forEach((key, value) -> builder.setting("virtualbox." + key, value.toString()));
    Map<String, List<Diagnosis>> result = builder.diagnose();
    assertEquals(Set.of(VirtualBoxDriverProvider.NAME), result.keySet());
    assertFalse(Files.exists(temp.resolve("state")), "no host state");
    fixture.vbox.calls().keySet().forEach(operation ->
        assertFalse(CHANGES.contains(operation), operation + " was sent"));
    return result.get(VirtualBoxDriverProvider.NAME);
  }

  private static List<String> checks(List<Diagnosis> steps) {
    return steps.stream().map(Diagnosis::check).toList();
  }

  @Test
  void aWorkingSetupPassesAllFourSteps() {
    List<Diagnosis> steps = diagnose(section -> { });

    assertEquals(List.of("endpoint", "logon", "local machine", "controller"), checks(steps));
    assertTrue(steps.stream().allMatch(Diagnosis::passed), steps.toString());
    assertEquals("vboxwebsrv answers at " + fixture.vbox.uri(), steps.get(0).detail());
    assertEquals("logged on as \"stowage\"; VirtualBox 7.1.4", steps.get(1).detail());
    assertEquals("\"node-1\" (" + fixture.local.uuid + "), found by this host's MAC address",
        steps.get(2).detail());
    assertEquals("SATA controller \"SATA\" with 30 ports, 1 in use", steps.get(3).detail());
  }

  @Test
  void anEndpointNobodyListensOnEndsTheCheckNamingIt() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port + "/";

    List<Diagnosis> steps = diagnose(section -> section.put("endpoint", endpoint));

    assertEquals(List.of("endpoint"), checks(steps));
    assertFalse(steps.get(0).passed());
    assertTrue(steps.get(0).detail().contains("cannot connect to vboxwebsrv at " + endpoint),
        steps.get(0).detail());
  }

  @Test
  void aSoapServiceThatIsNotVboxwebsrvIsToldApart() throws IOException {
    HttpServer other = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] fault = ("<?xml version=\"1.0\"?><soap:Envelope xmlns:soap="
          + "\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault>"
          + "<faultcode>soap:Client</faultcode><faultstring>Unknown operation</faultstring>"
          + "</soap:Fault></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
      exchange.sendResponseHeaders(500, fault.length);
      exchange.getResponseBody().write(fault);
      exchange.close();
    });
    other.start();
    try {
      String endpoint = "http://127.0.0.1:" + other.getAddress().getPort() + "/";

      List<Diagnosis> steps = diagnose(section -> section.put("endpoint", endpoint));

      assertEquals(List.of("endpoint"), checks(steps));
      assertFalse(steps.get(0).passed());
      assertTrue(steps.get(0).detail().contains("is not a VirtualBox web service"),
          steps.get(0).detail());
    } finally {
      other.stop(0);
    }
  }

  @Test
  void wrongCredentialsFailTheLogonWithoutShowingThePassword() {
    List<Diagnosis> steps = diagnose(section -> section.put("password", "guessed-wrong"));

    assertEquals(List.of("endpoint", "logon"), checks(steps));
    assertTrue(steps.get(0).passed());
    assertFalse(steps.get(1).passed());
    assertTrue(steps.get(1).detail().contains("virtualbox.password"), steps.get(1).detail());
    assertFalse(steps.get(1).detail().contains("guessed-wrong"), steps.get(1).detail());
  }

  @Test
  void aHostWhoseMacNoVmHasNamesTheSettingThatResolvesIt() throws IOException {
    fixture.writeNic("eth0", "08:00:27:ff:ff:ff");

    List<Diagnosis> steps = diagnose(section -> { });

    assertEquals(List.of("endpoint", "logon", "local machine"), checks(steps));
    assertFalse(steps.get(2).passed());
    assertTrue(steps.get(2).detail().contains("virtualbox.localMachineNameOrId"),
        steps.get(2).detail());
  }

  @Test
  void aControllerTheVmDoesNotHaveFailsTheLastStepListingThoseItHas() {
    List<Diagnosis> steps = diagnose(section -> {
      section.put("controllerName", "SCSI");
      section.put("localMachineNameOrId", "node-1");
    });

    assertEquals(List.of("endpoint", "logon", "local machine", "controller"), checks(steps));
    assertTrue(steps.get(2).detail().endsWith("named by virtualbox.localMachineNameOrId"),
        steps.get(2).detail());
    assertFalse(steps.get(3).passed());
    assertTrue(steps.get(3).detail().contains("virtualbox.controllerName \"SCSI\""),
        steps.get(3).detail());
    assertTrue(steps.get(3).detail().contains("\"SATA\""), steps.get(3).detail());
  }

  @Test
  void aControllerWithEveryPortTakenFailsSayingHowToAddPorts() {
    fixture.vbox.addController(fixture.local, "Full", "SATA", 1);
    fixture.vbox.attach(fixture.local, "Full", 0,
        fixture.vbox.addDisk("/vbox/vms/node-1/data.vmdk", 1L << 30));

    List<Diagnosis> steps = diagnose(section -> section.put("controllerName", "Full"));

    assertFalse(steps.get(3).passed());
    assertTrue(steps.get(3).detail().contains("--portcount"), steps.get(3).detail());
  }
}
