package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The double refuses what vboxwebsrv's WSDL does not allow, so client tests can trust it. */
class VboxWebServiceDoubleTest {
  private static final String ENVELOPE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""
      + " xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body>%s</SOAP-ENV:Body>"
      + "</SOAP-ENV:Envelope>";

  @TempDir
  Path temp;
  VboxFixture fixture;

  @BeforeEach
  void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aRequestShapedLikeTheWsdlIsAnswered() throws Exception {
    HttpResponse<String> response = post(String.format(ENVELOPE,
        "<vbox:IWebsessionManager_logon><username>stowage</username>"
            + "<password>s3cr&amp;t&lt;pa55&gt;</password></vbox:IWebsessionManager_logon>"));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("IWebsessionManager_logonResponse"), response.body());
    assertEquals(0, fixture.vbox.schemaViolations().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // qualified children
      "<vbox:IWebsessionManager_logon><vbox:username>u</vbox:username>"
          + "<vbox:password>p</vbox:password></vbox:IWebsessionManager_logon>",
      // children out of order
      "<vbox:IWebsessionManager_logon><password>p</password><username>u</username>"
          + "</vbox:IWebsessionManager_logon>",
      // a parameter missing
      "<vbox:IVirtualBox_findMachine><_this>x</_this></vbox:IVirtualBox_findMachine>",
      // an enumeration value VirtualBox does not have
      "<vbox:IMachine_lockMachine><_this>a</_this><session>b</session>"
          + "<lockType>Exclusive</lockType></vbox:IMachine_lockMachine>",
      // a number that is not one
      "<vbox:IMachine_getNetworkAdapter><_this>a</_this><slot>-1</slot>"
          + "</vbox:IMachine_getNetworkAdapter>",
      // an unqualified operation element
      "<IVirtualBox_getMachines><_this>a</_this></IVirtualBox_getMachines>",
      // an operation the schema does not declare
      "<vbox:IVirtualBox_getMachine><_this>a</_this></vbox:IVirtualBox_getMachine>"})
  void aRequestThatBreaksTheWsdlIsRefusedAndRecorded(String body) throws Exception {
    HttpResponse<String> response = post(String.format(ENVELOPE, body));

    assertEquals(500, response.statusCode());
    assertTrue(response.body().contains("Validation constraint violation"), response.body());
    assertEquals(1, fixture.vbox.schemaViolations().size());
  }

  private HttpResponse<String> post(String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(fixture.vbox.uri())
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
