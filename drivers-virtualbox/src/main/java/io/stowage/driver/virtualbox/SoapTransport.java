package io.stowage.driver.virtualbox;

import io.stowage.driver.virtualbox.SoapResponseReader.Answer;
import io.stowage.driver.virtualbox.SoapResponseReader.Fault;
import io.stowage.driver.virtualbox.SoapResponseReader.NotSoapException;
import io.stowage.driver.virtualbox.SoapResponseReader.Returned;
import io.stowage.exception.BackendException;
import io.stowage.exception.OperationTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SOAP requests to vboxwebsrv over the JDK's HTTP client and turns its answers into
 * {@code returnval} nodes, or into exceptions: {@link VirtualBoxFault} for a
 * {@code RuntimeFault}, {@link StaleReferenceException} for an {@code InvalidObjectFault},
 * {@link SoapFaultException} for any other fault, {@link OperationTimeoutException} when the
 * endpoint does not answer in time, and {@link BackendException} when it cannot be reached or
 * is not a VirtualBox web service. Every message names the endpoint; none holds a request
 * body. Thread-safe.
 */
final class SoapTransport {
  private static final Logger LOG = LoggerFactory.getLogger(SoapTransport.class);
  /** The largest answer read; the longest real ones are lists of references. */
  private static final int MAX_RESPONSE_BYTES = 32 << 20;

  private final VirtualBoxEndpoint endpoint;
  private final HttpClient http;

  /**
   * Creates a transport. Opens no connection.
   *
   * @param endpoint the web service
   */
  SoapTransport(VirtualBoxEndpoint endpoint) {
    this.endpoint = endpoint;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(endpoint.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER);
    endpoint.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /**
   * Calls an operation.
   *
   * @param operation the operation, such as {@code IVirtualBox_getMachines}
   * @param params its parameters, in the WSDL's order
   * @return the {@code returnval} elements of the answer, in order
   */
  List<XmlNode> call(String operation, List<SoapParam> params) {
    byte[] body = SoapEnvelope.request(operation, params);
    HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
        .timeout(endpoint.requestTimeout())
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"\"")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    long started = System.nanoTime();
    HttpResponse<InputStream> response = send(operation, request);
    byte[] answer = readBody(operation, response);
    LOG.debug("{} answered in {} ms", operation, (System.nanoTime() - started) / 1_000_000);
    String contentType = response.headers().firstValue("Content-Type").orElse("")
        .toLowerCase(Locale.ROOT);
    int status = response.statusCode();
    if (status != 200 && status != 500 || !contentType.contains("xml")) {
      throw notVboxwebsrv(operation, "HTTP " + status
          + (contentType.isEmpty() ? "" : ", content type " + contentType));
    }
    Answer parsed;
    try {
      parsed = SoapResponseReader.read(operation, answer);
    } catch (NotSoapException e) {
      throw notVboxwebsrv(operation, "HTTP " + status + ", " + e.getMessage());
    }
    if (parsed instanceof Returned returned) {
      return returned.returnValues();
    }
    throw toException(operation, (Fault) parsed);
  }

  /**
   * Returns the endpoint as messages show it.
   *
   * @return the endpoint
   */
  String describeEndpoint() {
    return endpoint.describe();
  }

  /**
   * Returns the bound on one call, which long waits on the server must stay under.
   *
   * @return the request timeout
   */
  Duration requestTimeout() {
    return endpoint.requestTimeout();
  }

  private HttpResponse<InputStream> send(String operation, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      // both the connect timeout (HttpConnectTimeoutException) and the request timeout
      boolean connecting = e instanceof java.net.http.HttpConnectTimeoutException;
      throw new OperationTimeoutException("vboxwebsrv at " + endpoint.describe() + " to "
          + (connecting ? "accept a connection" : "answer " + operation),
          connecting ? endpoint.connectTimeout() : endpoint.requestTimeout());
    } catch (ConnectException e) {
      if (causedBy(e, UnresolvedAddressException.class)) {
        throw new BackendException("cannot resolve the host name " + endpoint.uri().getHost()
            + " of vboxwebsrv at " + endpoint.describe() + " (" + operation + "); check"
            + " virtualbox.endpoint and this host's name resolution", true, null, e);
      }
      throw new BackendException("cannot connect to vboxwebsrv at " + endpoint.describe()
          + " (" + operation + "): " + describe(e)
          + "; is vboxwebsrv running on the VirtualBox host and listening there"
          + " (vboxwebsrv -H 0.0.0.0)?", true, null, e);
    } catch (SSLException e) {
      throw new BackendException("TLS with vboxwebsrv at " + endpoint.describe() + " failed ("
          + operation + "): " + describe(e)
          + "; check that the JVM trusts the web service's certificate", false, null, e);
    } catch (IOException e) {
      throw new BackendException("calling vboxwebsrv at " + endpoint.describe() + " ("
          + operation + ") failed: " + describe(e), true, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while calling vboxwebsrv at "
          + endpoint.describe() + " (" + operation + ")", true, null, e);
    }
  }

  private byte[] readBody(String operation, HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      byte[] answer = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      if (answer.length > MAX_RESPONSE_BYTES) {
        throw notVboxwebsrv(operation, "an answer larger than " + (MAX_RESPONSE_BYTES >> 20)
            + " MiB");
      }
      return answer;
    } catch (IOException e) {
      if (e instanceof HttpTimeoutException) {
        throw new OperationTimeoutException("vboxwebsrv at " + endpoint.describe()
            + " to answer " + operation, endpoint.requestTimeout());
      }
      throw new BackendException("reading vboxwebsrv's answer to " + operation + " from "
          + endpoint.describe() + " failed: " + describe(e), true, null, e);
    }
  }

  private RuntimeException toException(String operation, Fault fault) {
    Optional<XmlNode> detail = fault.detail();
    if (detail.isPresent() && detail.get().name().equals("InvalidObjectFault")) {
      return new StaleReferenceException(endpoint.describe(), operation,
          detail.get().childText("badObjectID").strip());
    }
    if (detail.isPresent() && detail.get().name().equals("RuntimeFault")) {
      String code = detail.get().childText("resultCode").strip();
      try {
        return new VirtualBoxFault(operation, Integer.parseInt(code), message(fault),
            detail.get().childText("returnval").strip());
      } catch (NumberFormatException e) {
        LOG.debug("RuntimeFault of {} has result code {}", operation, code);
      }
    }
    return new SoapFaultException(endpoint.describe(), operation, fault.faultCode(),
        fault.faultString());
  }

  /**
   * Takes VirtualBox's message out of the fault string, which the web service writes as
   * {@code VirtualBox error: apirc=0x80bb0001 <message> (0x80bb0001)}.
   */
  static String message(Fault fault) {
    String text = fault.faultString();
    if (text.startsWith("VirtualBox error:")) {
      text = text.substring("VirtualBox error:".length()).strip();
    }
    if (text.startsWith("apirc=")) {
      int space = text.indexOf(' ');
      text = space < 0 ? "" : text.substring(space + 1).strip();
    }
    text = text.replaceFirst("\\s*\\(0x[0-9a-fA-F]{8}\\)$", "");
    return text.isEmpty() ? "(no message)" : text;
  }

  private BackendException notVboxwebsrv(String operation, String what) {
    return new BackendException(endpoint.describe() + " is not a VirtualBox web service: it"
        + " answered " + operation + " with " + what + " (check virtualbox.endpoint)", false,
        null, null);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        return false;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
