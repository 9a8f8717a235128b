package io.stowage.driver.virtualbox;

import static io.stowage.driver.virtualbox.ResultCodes.E_ACCESSDENIED;
import static io.stowage.driver.virtualbox.ResultCodes.E_FAIL;
import static io.stowage.driver.virtualbox.ResultCodes.E_INVALIDARG;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_FILE_ERROR;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_INVALID_OBJECT_STATE;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_INVALID_SESSION_STATE;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_INVALID_VM_STATE;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_NOT_SUPPORTED;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_OBJECT_IN_USE;
import static io.stowage.driver.virtualbox.ResultCodes.VBOX_E_OBJECT_NOT_FOUND;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.stowage.driver.virtualbox.DoubleModel.Adapter;
import io.stowage.driver.virtualbox.DoubleModel.Controller;
import io.stowage.driver.virtualbox.DoubleModel.Disk;
import io.stowage.driver.virtualbox.DoubleModel.ErrorInfo;
import io.stowage.driver.virtualbox.DoubleModel.Platform;
import io.stowage.driver.virtualbox.DoubleModel.PlatformProperties;
import io.stowage.driver.virtualbox.DoubleModel.Progress;
import io.stowage.driver.virtualbox.DoubleModel.SessionMachine;
import io.stowage.driver.virtualbox.DoubleModel.SessionObject;
import io.stowage.driver.virtualbox.DoubleModel.Slot;
import io.stowage.driver.virtualbox.DoubleModel.Vm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A vboxwebsrv stand-in for tests: real SOAP 1.1 over HTTP on the loopback interface, over an
 * in-memory VirtualBox ({@link DoubleModel}).
 *
 * <p>It behaves as vboxwebsrv does where the driver depends on it: managed object references
 * of the form {@code <16 hex session>-<16 hex object>}, the same reference for the same object
 * within a web session, {@code InvalidObjectFault} for a reference it does not know (after
 * {@link #expireSessions()} every old reference is unknown), {@code RuntimeFault} with the COM
 * result code and a fresh {@code IVirtualBoxErrorInfo} reference, gSOAP's fault for an operation
 * the emulated version lacks (VirtualBox 6.1 vs 7.1), machine locks (a {@code Write} lock on a
 * running machine is refused; a {@code Shared} lock on a stopped one becomes a write lock), and
 * unsaved settings that {@code saveSettings} commits and unlocking discards.
 *
 * <p>Every request body is validated against {@code vboxwebsrv/*.xsd} (element names, order and
 * qualification of VirtualBox's WSDL); a request that does not validate is answered with a SOAP
 * fault and recorded in {@link #schemaViolations()}, which tests assert empty. Calls are counted
 * per operation.
 */
final class VboxWebServiceDouble implements AutoCloseable {
  /** A VirtualBox 6.1 version string. */
  static final String V6_1 = "6.1.50";
  /** A VirtualBox 7.1 version string. */
  static final String V7_1 = "7.1.4";

  static {
    // Without TCP_NODELAY the JDK's server waits out the peer's delayed ACK (about 40 ms) on
    // every keep-alive response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final Schema SCHEMA = loadSchema();
  private static final Set<String> ONLY_6_1 =
      Set.of("IMachine_getChipsetType", "ISystemProperties_getMaxNetworkAdapters");
  private static final Set<String> ONLY_7_1 = Set.of("IMachine_getPlatform",
      "IPlatform_getChipsetType", "IPlatform_getArchitecture",
      "IVirtualBox_getPlatformProperties", "IPlatformProperties_getMaxNetworkAdapters");
  private static final Object ANOTHER_CLIENT = "another client";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final String version;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Vm> vms = new ArrayList<>();
  private final List<Disk> disks = new ArrayList<>();
  private final Set<String> hostFiles = new java.util.HashSet<>();
  private final Map<Long, Websession> sessions = new HashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> lockRequests = new CopyOnWriteArrayList<>();
  private final Map<Vm, GuestView> guests = new IdentityHashMap<>();
  private final List<String> guestFailures = new CopyOnWriteArrayList<>();
  private long nextSessionId = 0x5f2a6c1e7b0d4e00L;
  private String username = "";
  private String password = "";
  private ErrorInfo nextCreationFailure;
  private boolean hangNextCreation;
  private final Set<String> readOnlyDirectories = new java.util.HashSet<>();
  private boolean takePortOnNextAttach;
  private int racers;

  private VboxWebServiceDouble(String version, Optional<SSLContext> tls) throws IOException {
    this.version = version;
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
      server = https;
    } else {
      server = HttpServer.create(loopback, 0);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Starts a double over plain HTTP.
   *
   * @param version {@link #V6_1} or {@link #V7_1}
   * @return the running double
   */
  static VboxWebServiceDouble start(String version) {
    try {
      return new VboxWebServiceDouble(version, Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a double over HTTPS.
   *
   * @param version {@link #V6_1} or {@link #V7_1}
   * @param tls the server's TLS context
   * @return the running double
   */
  static VboxWebServiceDouble startTls(String version, SSLContext tls) {
    try {
      return new VboxWebServiceDouble(version, Optional.of(tls));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the endpoint URI. */
  URI uri() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // building the model

  /** Requires these credentials at logon. */
  void requireCredentials(String user, String secret) {
    guarded(() -> {
      username = user;
      password = secret;
      return null;
    });
  }

  /** Adds a machine: name, {@code Running} or {@code PoweredOff}, chipset, and MACs. */
  Vm addVm(String name, String state, String chipset, String... macs) {
    return guarded(() -> {
      Vm vm = new Vm(name, state, chipset).withMacs(macs);
      vms.add(vm);
      return vm;
    });
  }

  /** Adds a storage controller to a machine. */
  Controller addController(Vm vm, String name, String bus, int portCount) {
    return guarded(() -> vm.addController(name, bus, portCount));
  }

  /** Registers an existing hard disk image. */
  Disk addDisk(String location, long logicalSize) {
    return guarded(() -> {
      Disk disk = new Disk(location, "VMDK", logicalSize, "Created");
      disk.registered = true;
      disks.add(disk);
      hostFiles.add(location);
      return disk;
    });
  }

  /** Puts an image file on the host that VirtualBox has not registered. */
  void addUnregisteredImage(String location) {
    guarded(() -> hostFiles.add(location));
  }

  /** Attaches a disk to a machine as if it had always been. */
  void attach(Vm vm, String controller, int port, Disk disk) {
    guarded(() -> vm.attachments.add(new Slot(controller, port, 0, disk, true)));
  }

  /** Sets the MAC address of one adapter slot and whether the adapter is enabled. */
  void setAdapter(Vm vm, int slot, String mac, boolean enabled) {
    guarded(() -> {
      vm.adapters.get(slot).mac = mac;
      vm.adapters.get(slot).enabled = enabled;
      return null;
    });
  }

  /** Changes a machine's state. */
  void setState(Vm vm, String state) {
    guarded(() -> {
      vm.state = state;
      return null;
    });
  }

  // behaviour

  /** Drops every web session, as vboxwebsrv's idle timeout or a restart does. */
  void expireSessions() {
    guarded(() -> {
      for (Websession session : sessions.values()) {
        for (Object object : session.objects.values()) {
          if (object instanceof SessionObject s && s.locked != null) {
            unlock(s);
          }
        }
      }
      sessions.clear();
      return null;
    });
  }

  /** Makes the next disk creation fail in its progress with a result code. */
  void failNextCreation(int resultCode, String text) {
    guarded(() -> nextCreationFailure = new ErrorInfo(resultCode, text));
  }

  /** Makes a directory on the host one that the user vboxwebsrv runs as cannot write. */
  void denyWrites(String directory) {
    guarded(() -> readOnlyDirectories.add(directory));
  }

  /** Makes the next disk creation run until it is cancelled. */
  void hangNextCreation() {
    guarded(() -> hangNextCreation = true);
  }

  /** Has another client take the port of the next attach just before it lands. */
  void takePortOnNextAttach() {
    guarded(() -> takePortOnNextAttach = true);
  }

  /** Has another client hold (or release) a machine's lock. */
  void holdLock(Vm vm, boolean held) {
    guarded(() -> vm.lockHolder = held ? ANOTHER_CLIENT : null);
  }

  /**
   * What the guest of a running machine sees of its hard disks: told, while the double holds
   * its lock, as a disk is plugged in (hot-plugged, or attached before the machine started) and
   * pulled out.
   */
  interface Guest {
    /**
     * A disk appeared in the guest.
     *
     * @param mediumUuid the disk's medium UUID
     * @param logicalSize its size in bytes
     */
    void plugged(String mediumUuid, long logicalSize);

    /**
     * A disk went away from the guest.
     *
     * @param mediumUuid the disk's medium UUID
     */
    void unplugged(String mediumUuid);
  }

  /** Has a guest watch the disks of a machine while it runs, starting with those it has. */
  void watchGuest(Vm vm, Guest guest) {
    guarded(() -> guests.put(vm, new GuestView(guest)));
  }

  /** What a watched guest has been shown. */
  private static final class GuestView {
    final Guest guest;
    final Set<Disk> shown = new java.util.LinkedHashSet<>();

    GuestView(Guest guest) {
      this.guest = guest;
    }
  }

  /** Shows each watched guest the disks its machine has now. Called holding the lock. */
  private void showGuests() {
    guests.forEach((vm, view) -> {
      Set<Disk> now = new java.util.LinkedHashSet<>();
      if (vm.running()) {
        vm.attachments.forEach(slot -> now.add(slot.disk));
      }
      for (Disk gone : List.copyOf(view.shown)) {
        if (!now.contains(gone)) {
          view.shown.remove(gone);
          tell(() -> view.guest.unplugged(gone.uuid), "unplugging " + gone);
        }
      }
      for (Disk added : now) {
        if (view.shown.add(added)) {
          tell(() -> view.guest.plugged(added.uuid, added.logicalSize), "plugging " + added);
        }
      }
    });
  }

  private void tell(Runnable change, String what) {
    try {
      change.run();
    } catch (RuntimeException e) {
      guestFailures.add(what + ": " + e);
    }
  }

  // inspection

  /** Returns what failed when a watched guest was shown a disk change. */
  List<String> guestFailures() {
    return List.copyOf(guestFailures);
  }

  /** Returns the number of calls per operation since the last reset. */
  Map<String, Integer> calls() {
    Map<String, Integer> counts = new TreeMap<>();
    calls.forEach((op, n) -> counts.put(op, n.get()));
    return counts;
  }

  /** Returns the number of calls of one operation. */
  int calls(String operation) {
    AtomicInteger n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** Returns the number of calls of every operation. */
  int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Forgets the call counts. */
  void resetCounts() {
    calls.clear();
  }

  /** Returns the requests that did not validate against the schema. */
  List<String> schemaViolations() {
    return List.copyOf(violations);
  }

  /** Returns the lock types requested, in order. */
  List<String> lockRequests() {
    return List.copyOf(lockRequests);
  }

  /** Returns the number of managed object references alive in every web session. */
  int liveReferences() {
    return guarded(() -> sessions.values().stream().mapToInt(s -> s.objects.size()).sum());
  }

  /** Returns the number of web sessions alive. */
  int liveSessions() {
    return guarded(sessions::size);
  }

  /** Returns the registered disk at a location. */
  Optional<Disk> registeredDisk(String location) {
    return guarded(() -> disks.stream().filter(d -> d.registered && !d.gone
        && d.location.equals(location)).findFirst());
  }

  /** Returns whether an image file exists on the host. */
  boolean fileExists(String location) {
    return guarded(() -> hostFiles.contains(location));
  }

  /** Returns the disks attached to a machine, by port of a controller. */
  Map<Integer, String> attachedDisks(Vm vm, String controller) {
    return guarded(() -> {
      Map<Integer, String> out = new TreeMap<>();
      vm.attachments.stream().filter(s -> s.controller.equals(controller))
          .forEach(s -> out.put(s.port, s.disk.uuid));
      return out;
    });
  }

  /** Returns whether a disk's slot in a machine may be unplugged while it runs. */
  boolean hotPluggable(Vm vm, Disk disk) {
    return guarded(() -> vm.attachments.stream().filter(s -> s.disk == disk)
        .anyMatch(s -> s.hotPluggable));
  }

  /** Returns whether any machine is locked by a session. */
  boolean anyMachineLocked() {
    return guarded(() -> vms.stream().anyMatch(vm -> vm.lockHolder instanceof SessionObject));
  }

  // HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, "text/plain", "POST only".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String violation = validate(body);
      if (violation != null) {
        violations.add(violation);
        respond(exchange, 500, "text/xml; charset=utf-8",
            fault("SOAP-ENV:Client", "Validation constraint violation: " + violation, null));
        return;
      }
      Element request = bodyElement(body);
      String operation = request.getLocalName();
      Args args = new Args(request);
      calls.computeIfAbsent(operation, op -> new AtomicInteger()).incrementAndGet();
      byte[] answer;
      int status = 200;
      try {
        answer = response(operation, dispatch(operation, args));
      } catch (SoapFault f) {
        status = 500;
        answer = fault("SOAP-ENV:Client", f.faultString, f.detail);
      }
      respond(exchange, status, "text/xml; charset=utf-8", answer);
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static String validate(byte[] body) {
    Validator validator = SCHEMA.newValidator();
    try {
      validator.validate(new StreamSource(new ByteArrayInputStream(body)));
      return null;
    } catch (SAXException e) {
      return e.getMessage();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Element bodyElement(byte[] body) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
      Element envelope = doc.getDocumentElement();
      Element soapBody = firstElement(envelope, "Body");
      return firstElement(soapBody, null);
    } catch (Exception e) {
      throw new IllegalStateException("a validated request did not parse", e);
    }
  }

  private static Element firstElement(Element parent, String localName) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && (localName == null || localName.equals(e.getLocalName()))) {
        return e;
      }
    }
    throw new IllegalStateException("no element " + localName);
  }

  private static Schema loadSchema() {
    try {
      SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      URL envelope = VboxWebServiceDouble.class.getResource("/vboxwebsrv/soap-envelope.xsd");
      URL vbox = VboxWebServiceDouble.class.getResource("/vboxwebsrv/vboxwebsrv-requests.xsd");
      return factory.newSchema(new Source[] {
          new StreamSource(vbox.toExternalForm()), new StreamSource(envelope.toExternalForm())});
    } catch (SAXException e) {
      throw new IllegalStateException("cannot load the vboxwebsrv request schema", e);
    }
  }

  // answers

  /** A returnval: text, or a structure of named fields. */
  private record Value(String text, Map<String, String> fields) {
    static Value of(String text) {
      return new Value(text, null);
    }

    static Value of(long number) {
      return new Value(Long.toString(number), null);
    }

    static Value of(boolean flag) {
      return new Value(Boolean.toString(flag), null);
    }
  }

  private byte[] response(String operation, List<Value> values) {
    return write(xml -> {
      xml.writeStartElement("vbox", operation + "Response", SoapEnvelope.VBOX_NS);
      for (Value value : values) {
        xml.writeStartElement("returnval");
        if (value.fields() == null) {
          xml.writeCharacters(value.text());
        } else {
          for (Map.Entry<String, String> field : value.fields().entrySet()) {
            xml.writeStartElement(field.getKey());
            xml.writeCharacters(field.getValue());
            xml.writeEndElement();
          }
        }
        xml.writeEndElement();
      }
      xml.writeEndElement();
    });
  }

  private byte[] fault(String code, String text, Detail detail) {
    return write(xml -> {
      xml.writeStartElement("SOAP-ENV", "Fault", SoapEnvelope.SOAP_NS);
      xml.writeStartElement("faultcode");
      xml.writeCharacters(code);
      xml.writeEndElement();
      xml.writeStartElement("faultstring");
      xml.writeCharacters(text);
      xml.writeEndElement();
      if (detail != null) {
        xml.writeStartElement("detail");
        xml.writeStartElement("vbox", detail.element(), SoapEnvelope.VBOX_NS);
        for (Map.Entry<String, String> field : detail.fields().entrySet()) {
          xml.writeStartElement(field.getKey());
          xml.writeCharacters(field.getValue());
          xml.writeEndElement();
        }
        xml.writeEndElement();
        xml.writeEndElement();
      }
      xml.writeEndElement();
    });
  }

  private interface BodyWriter {
    void write(XMLStreamWriter xml) throws XMLStreamException;
  }

  private static byte[] write(BodyWriter content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("SOAP-ENV", "Envelope", SoapEnvelope.SOAP_NS);
      xml.writeNamespace("SOAP-ENV", SoapEnvelope.SOAP_NS);
      xml.writeNamespace("vbox", SoapEnvelope.VBOX_NS);
      xml.writeStartElement("SOAP-ENV", "Body", SoapEnvelope.SOAP_NS);
      content.write(xml);
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  // faults

  private record Detail(String element, Map<String, String> fields) {}

  /** A SOAP fault the handler answers with. */
  private static final class SoapFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String faultString;
    final transient Detail detail;

    SoapFault(String faultString, Detail detail) {
      super(faultString, null, false, false);
      this.faultString = faultString;
      this.detail = detail;
    }
  }

  private SoapFault runtime(Websession session, int code, String text) {
    String info = session == null ? "" : session.ref(new ErrorInfo(code, text));
    String hex = String.format("%#x", code);
    return new SoapFault("VirtualBox error: apirc=" + hex + " " + text + " (" + hex + ")",
        new Detail("RuntimeFault", linked("resultCode", Integer.toString(code),
            "returnval", info)));
  }

  private static SoapFault invalidObject(String ref) {
    return new SoapFault("VirtualBox error: Invalid managed object reference \"" + ref + "\"",
        new Detail("InvalidObjectFault", linked("badObjectID", ref)));
  }

  private static Map<String, String> linked(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  // web sessions and references

  private final class Websession {
    final long id;
    final Map<Long, Object> objects = new HashMap<>();
    final Map<Object, Long> ids = new IdentityHashMap<>();
    long nextObject = 1;

    Websession(long id) {
      this.id = id;
    }

    String ref(Object object) {
      Long known = ids.get(object);
      long objectId = known != null ? known : nextObject++;
      if (known == null) {
        objects.put(objectId, object);
        ids.put(object, objectId);
      }
      return String.format("%016x-%016x", id, objectId);
    }

    void release(long objectId) {
      Object object = objects.remove(objectId);
      ids.remove(object);
    }
  }

  /** A request's parameters and the web session its references belong to. */
  private final class Args {
    final Map<String, List<String>> params = new LinkedHashMap<>();
    Websession session;

    Args(Element request) {
      for (Node n = request.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          params.computeIfAbsent(e.getLocalName(), k -> new ArrayList<>())
              .add(e.getTextContent());
        }
      }
    }

    String text(String name) {
      return params.get(name).get(0);
    }

    List<String> all(String name) {
      return params.getOrDefault(name, List.of());
    }

    int number(String name) {
      return Integer.parseInt(text(name));
    }

    <T> T object(String name, Class<T> type) {
      String ref = text(name);
      String[] parts = ref.split("-");
      if (ref.length() != 33 || parts.length != 2) {
        throw invalidObject(ref);
      }
      Websession owner;
      Object object;
      try {
        owner = sessions.get(Long.parseUnsignedLong(parts[0], 16));
        object = owner == null ? null : owner.objects.get(Long.parseUnsignedLong(parts[1], 16));
      } catch (NumberFormatException e) {
        throw invalidObject(ref);
      }
      if (!type.isInstance(object)) {
        throw invalidObject(ref);
      }
      session = owner;
      return type.cast(object);
    }

    <T> T self(Class<T> type) {
      return object("_this", type);
    }

    Value ref(Object object) {
      return Value.of(session.ref(object));
    }

    SoapFault fault(int code, String text) {
      return runtime(session, code, text);
    }
  }

  // dispatch

  private List<Value> dispatch(String operation, Args a) {
    if (version.equals(V6_1) && ONLY_7_1.contains(operation)
        || version.equals(V7_1) && ONLY_6_1.contains(operation)) {
      throw new SoapFault("Method 'vbox:" + operation + "' not implemented: method name or"
          + " namespace not recognized", null);
    }
    if (operation.equals("IProgress_waitForCompletion")) {
      return waitForCompletion(a);
    }
    return guarded(() -> switch (operation) {
      case "IWebsessionManager_logon" -> logon(a);
      case "IWebsessionManager_getSessionObject" -> {
        a.object("refIVirtualBox", Object.class);
        yield List.of(a.ref(new SessionObject()));
      }
      case "IWebsessionManager_logoff" -> {
        String[] parts = a.text("refIVirtualBox").split("-");
        sessions.remove(Long.parseUnsignedLong(parts[0], 16));
        yield List.of();
      }
      case "IManagedObjectRef_release" -> {
        a.self(Object.class);
        a.session.release(Long.parseUnsignedLong(a.text("_this").split("-")[1], 16));
        yield List.of();
      }
      case "IVirtualBox_getVersion" -> {
        a.self(Object.class);
        yield List.of(Value.of(version));
      }
      case "IVirtualBox_findMachine" -> findMachine(a);
      case "IVirtualBox_getMachines" -> {
        a.self(Object.class);
        yield vms.stream().map(a::ref).toList();
      }
      case "IVirtualBox_getHardDisks" -> {
        a.self(Object.class);
        yield disks.stream().filter(d -> d.registered && !d.gone).map(a::ref).toList();
      }
      case "IVirtualBox_openMedium" -> openMedium(a);
      case "IVirtualBox_createMedium" -> createMedium(a);
      case "IVirtualBox_getSystemProperties" -> {
        a.self(Object.class);
        yield List.of(a.ref(DoubleModel.SYSTEM_PROPERTIES));
      }
      case "IVirtualBox_getPlatformProperties" -> {
        a.self(Object.class);
        yield List.of(a.ref(new PlatformProperties(a.text("architecture"))));
      }
      case "ISystemProperties_getMaxNetworkAdapters",
          "IPlatformProperties_getMaxNetworkAdapters" -> {
        a.self(Object.class);
        yield List.of(Value.of(DoubleModel.adapterSlots(a.text("chipset"))));
      }
      case "IMachine_getId" -> List.of(Value.of(machine(a).uuid));
      case "IMachine_getName" -> List.of(Value.of(machine(a).name));
      case "IMachine_getState" -> List.of(Value.of(machine(a).state));
      case "IMachine_getChipsetType" -> List.of(Value.of(machine(a).chipset));
      case "IMachine_getPlatform" -> List.of(a.ref(machine(a).platform));
      case "IPlatform_getChipsetType" -> List.of(Value.of(a.self(Platform.class).vm().chipset));
      case "IPlatform_getArchitecture" ->
          List.of(Value.of(a.self(Platform.class).vm().architecture));
      case "IMachine_getNetworkAdapter" -> {
        Vm vm = machine(a);
        long slot = Long.parseLong(a.text("slot"));
        if (slot >= vm.adapters.size()) {
          throw a.fault(E_INVALIDARG, "Invalid slot number: " + slot + " (must be in range [0, "
              + (vm.adapters.size() - 1) + "])");
        }
        yield List.of(a.ref(vm.adapters.get((int) slot)));
      }
      case "INetworkAdapter_getMACAddress" -> List.of(Value.of(a.self(Adapter.class).mac));
      case "INetworkAdapter_getEnabled" -> List.of(Value.of(a.self(Adapter.class).enabled));
      case "IMachine_lockMachine" -> lockMachine(a);
      case "ISession_getMachine" -> {
        SessionObject session = a.self(SessionObject.class);
        if (session.locked == null) {
          throw a.fault(VBOX_E_INVALID_SESSION_STATE, "The session is not locked");
        }
        yield List.of(a.ref(session.machine));
      }
      case "ISession_unlockMachine" -> {
        SessionObject session = a.self(SessionObject.class);
        if (session.locked == null) {
          throw a.fault(VBOX_E_INVALID_SESSION_STATE, "The session is not locked");
        }
        unlock(session);
        yield List.of();
      }
      case "IMachine_getStorageControllerByName" -> {
        Vm vm = machine(a);
        Controller controller = vm.controller(a.text("name"));
        if (controller == null) {
          throw a.fault(VBOX_E_OBJECT_NOT_FOUND, "Could not find a storage controller named '"
              + a.text("name") + "'");
        }
        yield List.of(a.ref(controller));
      }
      case "IMachine_getStorageControllers" -> machine(a).controllers.stream().map(a::ref)
          .toList();
      case "IStorageController_getName" -> List.of(Value.of(a.self(Controller.class).name));
      case "IStorageController_getBus" -> List.of(Value.of(a.self(Controller.class).bus));
      case "IStorageController_getPortCount" ->
          List.of(Value.of(a.self(Controller.class).portCount));
      case "IMachine_getMediumAttachments" -> attachments(a, null);
      case "IMachine_getMediumAttachmentsOfController" -> attachments(a, a.text("name"));
      case "IMachine_attachDevice" -> attachDevice(a);
      case "IMachine_detachDevice" -> detachDevice(a);
      case "IMachine_setHotPluggableForDevice" -> setHotPluggable(a);
      case "IMachine_saveSettings" -> {
        SessionMachine mutable = mutable(a);
        if (!mutable.live) {
          mutable.vm.attachments = DoubleModel.copy(mutable.pending);
        }
        yield List.of();
      }
      case "IMachine_discardSettings" -> {
        SessionMachine mutable = mutable(a);
        if (!mutable.live) {
          mutable.pending = DoubleModel.copy(mutable.vm.attachments);
        }
        yield List.of();
      }
      case "IMedium_getId" -> List.of(Value.of(disk(a).uuid));
      case "IMedium_getLocation" -> List.of(Value.of(disk(a).location));
      case "IMedium_getLogicalSize" -> List.of(Value.of(disk(a).logicalSize));
      case "IMedium_getState" -> List.of(Value.of(disk(a).state));
      case "IMedium_getMachineIds" -> {
        Disk disk = disk(a);
        yield vms.stream().filter(vm -> vm.attachments.stream().anyMatch(s -> s.disk == disk))
            .map(vm -> Value.of(vm.uuid)).toList();
      }
      case "IMedium_createBaseStorage" -> createBaseStorage(a);
      case "IMedium_deleteStorage" -> deleteStorage(a);
      case "IMedium_resize" -> resize(a);
      case "IMedium_close" -> closeMedium(a);
      case "IProgress_getCompleted" -> List.of(Value.of(a.self(Progress.class).completed));
      case "IProgress_getResultCode" -> {
        Progress progress = a.self(Progress.class);
        if (!progress.completed) {
          throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "Result code is not available, operation"
              + " is still in progress");
        }
        yield List.of(Value.of(progress.resultCode));
      }
      case "IProgress_getErrorInfo" -> {
        Progress progress = a.self(Progress.class);
        yield List.of(progress.error == null ? Value.of("") : a.ref(progress.error));
      }
      case "IProgress_cancel" -> {
        Progress progress = a.self(Progress.class);
        if (!progress.completed && progress.onCancel != null) {
          progress.onCancel.run();
        }
        yield List.of();
      }
      case "IVirtualBoxErrorInfo_getText" -> List.of(Value.of(a.self(ErrorInfo.class).text()));
      default -> throw new SoapFault("Method 'vbox:" + operation + "' not implemented", null);
    });
  }

  private List<Value> logon(Args a) {
    if (!a.text("username").equals(username) || !a.text("password").equals(password)) {
      throw new SoapFault("", null);
    }
    Websession session = new Websession(nextSessionId++);
    sessions.put(session.id, session);
    a.session = session;
    return List.of(a.ref(DoubleModel.VIRTUALBOX));
  }

  private List<Value> findMachine(Args a) {
    a.self(Object.class);
    String nameOrId = a.text("nameOrId");
    return vms.stream().filter(vm -> vm.uuid.equals(nameOrId) || vm.name.equals(nameOrId))
        .findFirst().map(vm -> List.of(a.ref(vm)))
        .orElseThrow(() -> a.fault(VBOX_E_OBJECT_NOT_FOUND,
            "Could not find a registered machine named '" + nameOrId + "'"));
  }

  private List<Value> openMedium(Args a) {
    a.self(Object.class);
    String location = a.text("location");
    Optional<Disk> known = disks.stream().filter(d -> d.registered && !d.gone
        && (d.uuid.equals(location) || d.location.equals(location))).findFirst();
    if (known.isPresent()) {
      return List.of(a.ref(known.get()));
    }
    if (!location.startsWith("/") || !hostFiles.contains(location)) {
      throw a.fault(VBOX_E_OBJECT_NOT_FOUND, "Could not find file for the medium '" + location
          + "' (VERR_FILE_NOT_FOUND)");
    }
    Disk opened = new Disk(location, "VMDK", 1L << 30, "Created");
    opened.registered = true;
    disks.add(opened);
    return List.of(a.ref(opened));
  }

  private List<Value> createMedium(Args a) {
    a.self(Object.class);
    String format = a.text("format");
    if (!Set.of("VMDK", "VDI", "VHD").contains(format.toUpperCase(Locale.ROOT))) {
      throw a.fault(VBOX_E_OBJECT_NOT_FOUND, "Invalid medium storage format '" + format + "'");
    }
    Disk disk = new Disk(a.text("location"), format, 0, "NotCreated");
    disks.add(disk);
    return List.of(a.ref(disk));
  }

  private List<Value> createBaseStorage(Args a) {
    Disk disk = disk(a);
    if (!disk.state.equals("NotCreated")) {
      throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "Storage for the medium '" + disk.location
          + "' is already created");
    }
    long size = Long.parseLong(a.text("logicalSize"));
    Progress progress = new Progress();
    String directory = disk.location.substring(0, Math.max(0, disk.location.lastIndexOf('/')));
    if (hostFiles.contains(disk.location)) {
      progress.fail(VBOX_E_FILE_ERROR, "Could not create the medium storage unit '"
          + disk.location + "'.\nVD: error VERR_ALREADY_EXISTS");
    } else if (readOnlyDirectories.contains(directory)) {
      progress.fail(VBOX_E_FILE_ERROR, "Could not create the medium storage unit '"
          + disk.location + "'.\nVD: error VERR_ACCESS_DENIED opening image file '"
          + disk.location + "' (VERR_ACCESS_DENIED)");
    } else if (nextCreationFailure != null) {
      progress.fail(nextCreationFailure.resultCode(), nextCreationFailure.text());
      nextCreationFailure = null;
    } else if (hangNextCreation) {
      hangNextCreation = false;
      disk.state = "Creating";
      progress.onCancel = () -> {
        disk.state = "NotCreated";
        progress.fail(E_FAIL, "Operation was canceled by the user");
      };
    } else {
      disk.state = "Created";
      disk.logicalSize = size;
      disk.registered = true;
      hostFiles.add(disk.location);
      progress.succeed();
    }
    return List.of(a.ref(progress));
  }

  /**
   * {@code IMedium_resize} as VirtualBox answers it: a disk a running machine holds is locked
   * for writing (a fault); a VMDK disk, or a smaller size, fails the task.
   */
  private List<Value> resize(Args a) {
    Disk disk = disk(a);
    long size = Long.parseLong(a.text("logicalSize"));
    boolean lockedByARunningMachine = vms.stream().filter(vm -> vm.state.equals("Running"))
        .anyMatch(vm -> vm.attachments.stream().anyMatch(s -> s.disk == disk));
    if (lockedByARunningMachine) {
      throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "Medium '" + disk.location + "' is locked"
          + " for writing by another task");
    }
    Progress progress = new Progress();
    if (!disk.format.equals("VDI") && !disk.format.equals("VHD")) {
      progress.fail(VBOX_E_NOT_SUPPORTED, "Resizing to new size " + size + " is not yet"
          + " supported for the medium '" + disk.location + "' (format " + disk.format + ")");
    } else if (size < disk.logicalSize) {
      progress.fail(VBOX_E_NOT_SUPPORTED, "Shrinking is not yet supported for medium '"
          + disk.location + "'");
    } else {
      disk.logicalSize = size;
      progress.succeed();
    }
    return List.of(a.ref(progress));
  }

  private List<Value> deleteStorage(Args a) {
    Disk disk = disk(a);
    List<String> holders = vms.stream()
        .filter(vm -> vm.attachments.stream().anyMatch(s -> s.disk == disk))
        .map(vm -> vm.name).toList();
    if (!holders.isEmpty()) {
      throw a.fault(VBOX_E_OBJECT_IN_USE, "Cannot delete storage: medium '" + disk.location
          + "' is still attached to the following virtual machines: " + holders);
    }
    if (!disk.state.equals("Created") && !disk.state.equals("Inaccessible")) {
      throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "Medium '" + disk.location + "' is in state "
          + disk.state);
    }
    hostFiles.remove(disk.location);
    disk.registered = false;
    disk.gone = true;
    disk.state = "NotCreated";
    Progress progress = new Progress();
    progress.succeed();
    return List.of(a.ref(progress));
  }

  private List<Value> closeMedium(Args a) {
    Disk disk = disk(a);
    if (!disk.state.equals("Created") && !disk.state.equals("Inaccessible")) {
      throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "Medium '" + disk.location + "' is in state "
          + disk.state);
    }
    disk.registered = false;
    disk.gone = true;
    return List.of();
  }

  private List<Value> lockMachine(Args a) {
    Vm vm = a.self(Vm.class);
    SessionObject session = a.object("session", SessionObject.class);
    String type = a.text("lockType");
    lockRequests.add(vm.name + ":" + type);
    if (session.locked != null) {
      throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "The given session is busy");
    }
    boolean writeHeld = vm.lockHolder != null
        && !(vm.lockHolder instanceof SessionObject s && s.lockType.equals("Shared"));
    if (vm.running() ? type.equals("Write") || vm.lockHolder == ANOTHER_CLIENT : writeHeld) {
      throw a.fault(VBOX_E_INVALID_OBJECT_STATE, "The machine '" + vm.name + "' is already"
          + " locked for a session (or being unlocked)");
    }
    session.locked = vm;
    // A Shared lock on a machine nobody holds is a write lock, as in VirtualBox.
    session.lockType = vm.running() ? type : "Write";
    session.machine = new SessionMachine(vm);
    if (vm.lockHolder == null) {
      vm.lockHolder = session;
    }
    return List.of();
  }

  private void unlock(SessionObject session) {
    session.machine.closed = true;
    if (session.locked.lockHolder == session) {
      session.locked.lockHolder = null;
    }
    session.locked = null;
    session.machine = null;
    session.lockType = null;
  }

  private List<Value> attachments(Args a, String controllerName) {
    Object self = a.self(Object.class);
    List<Slot> slots;
    Vm vm;
    if (self instanceof SessionMachine mutable) {
      requireOpen(a, mutable);
      slots = mutable.slots();
      vm = mutable.vm;
    } else if (self instanceof Vm machine) {
      slots = machine.attachments;
      vm = machine;
    } else {
      throw invalidObject(a.text("_this"));
    }
    if (controllerName != null && vm.controller(controllerName) == null) {
      throw a.fault(VBOX_E_OBJECT_NOT_FOUND, "Could not find a storage controller named '"
          + controllerName + "'");
    }
    List<Value> out = new ArrayList<>();
    for (Slot slot : slots) {
      if (controllerName != null && !slot.controller.equals(controllerName)) {
        continue;
      }
      out.add(new Value(null, linked("machine", a.session.ref(self),
          "medium", a.session.ref(slot.disk), "controller", slot.controller,
          "port", Integer.toString(slot.port), "device", Integer.toString(slot.device),
          "type", "HardDisk", "passthrough", "false", "temporaryEject", "false",
          "isEjected", "false", "nonRotational", "false", "discard", "false",
          "hotPluggable", Boolean.toString(slot.hotPluggable), "bandwidthGroup", "")));
    }
    return out;
  }

  private List<Value> attachDevice(Args a) {
    SessionMachine mutable = mutable(a);
    Vm vm = mutable.vm;
    String name = a.text("name");
    int port = a.number("controllerPort");
    int device = a.number("device");
    Controller controller = changeableController(a, vm, name);
    if (port < 0 || port >= controller.portCount) {
      throw a.fault(E_INVALIDARG, "Invalid port number " + port + ": must be in range [0, "
          + (controller.portCount - 1) + "]");
    }
    if (device < 0 || device >= controller.devicesPerPort()) {
      throw a.fault(E_INVALIDARG, "Invalid device number " + device);
    }
    if (takePortOnNextAttach) {
      takePortOnNextAttach = false;
      Disk racer = new Disk("/elsewhere/racer-" + racers++ + ".vdi", "VDI", 1L << 30,
          "Created");
      racer.registered = true;
      disks.add(racer);
      Slot taken = new Slot(name, port, device, racer, true);
      vm.attachments.add(taken);
      if (!mutable.live) {
        mutable.pending.add(taken.copy());
      }
    }
    Disk disk = a.object("medium", Disk.class);
    if (disk.gone) {
      throw a.fault(E_ACCESSDENIED, "The object is not ready");
    }
    Optional<Slot> busy = mutable.slots().stream()
        .filter(s -> s.controller.equals(name) && s.port == port && s.device == device)
        .findFirst();
    if (busy.isPresent()) {
      throw a.fault(VBOX_E_OBJECT_IN_USE, "Medium '" + busy.get().disk.location
          + "' is already attached to port " + port + ", device " + device + " of controller '"
          + name + "' of this virtual machine");
    }
    if (mutable.slots().stream().anyMatch(s -> s.disk == disk)) {
      throw a.fault(VBOX_E_OBJECT_IN_USE, "Medium '" + disk.location
          + "' is already attached to this virtual machine");
    }
    Optional<Vm> holder = vms.stream().filter(other -> other != vm)
        .filter(other -> other.attachments.stream().anyMatch(s -> s.disk == disk)).findFirst();
    if (holder.isPresent()) {
      throw a.fault(VBOX_E_OBJECT_IN_USE, "Cannot attach medium '" + disk.location
          + "': the medium is already associated with machine {" + holder.get().uuid + "}");
    }
    mutable.slots().add(new Slot(name, port, device, disk, vm.running()));
    return List.of();
  }

  private List<Value> detachDevice(Args a) {
    SessionMachine mutable = mutable(a);
    Vm vm = mutable.vm;
    String name = a.text("name");
    int port = a.number("controllerPort");
    int device = a.number("device");
    changeableController(a, vm, name);
    Slot slot = usedSlot(a, mutable, name, port, device);
    if (vm.running() && !slot.hotPluggable) {
      throw a.fault(VBOX_E_NOT_SUPPORTED, "The device slot " + device + " on port " + port
          + " of controller '" + name + "' does not support hot-plugging");
    }
    mutable.slots().remove(slot);
    return List.of();
  }

  private List<Value> setHotPluggable(Args a) {
    SessionMachine mutable = mutable(a);
    Vm vm = mutable.vm;
    if (vm.running()) {
      throw a.fault(VBOX_E_INVALID_VM_STATE, "Invalid machine state: " + vm.state);
    }
    String name = a.text("name");
    int port = a.number("controllerPort");
    int device = a.number("device");
    Slot slot = usedSlot(a, mutable, name, port, device);
    if (!DoubleModel.hotPlugCapable(vm.controller(name).bus)) {
      throw a.fault(VBOX_E_NOT_SUPPORTED, "Controller '" + name
          + "' does not support changing the hot-pluggable device flag");
    }
    slot.hotPluggable = Boolean.parseBoolean(a.text("hotPluggable"));
    return List.of();
  }

  /** The controller a device is plugged into; a running machine needs one that hot-plugs. */
  private Controller changeableController(Args a, Vm vm, String name) {
    Controller controller = vm.controller(name);
    if (controller == null) {
      throw a.fault(VBOX_E_OBJECT_NOT_FOUND, "Could not find a storage controller named '"
          + name + "'");
    }
    if (vm.running() && !DoubleModel.hotPlugCapable(controller.bus)) {
      throw a.fault(VBOX_E_INVALID_VM_STATE, "Controller '" + name
          + "' does not support hot-plugging");
    }
    return controller;
  }

  private static Slot usedSlot(Args a, SessionMachine mutable, String name, int port,
      int device) {
    return mutable.slots().stream()
        .filter(s -> s.controller.equals(name) && s.port == port && s.device == device)
        .findFirst().orElseThrow(() -> a.fault(VBOX_E_OBJECT_NOT_FOUND, "No storage device"
            + " attached to device slot " + device + " on port " + port + " of controller '"
            + name + "'"));
  }

  private List<Value> waitForCompletion(Args a) {
    Progress progress = guarded(() -> a.self(Progress.class));
    long deadline = System.nanoTime() + Math.max(0, a.number("timeout")) * 1_000_000L;
    while (!guarded(() -> progress.completed) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return List.of();
  }

  private Vm machine(Args a) {
    Object self = a.self(Object.class);
    if (self instanceof Vm vm) {
      return vm;
    }
    if (self instanceof SessionMachine mutable) {
      requireOpen(a, mutable);
      return mutable.vm;
    }
    throw invalidObject(a.text("_this"));
  }

  private SessionMachine mutable(Args a) {
    Object self = a.self(Object.class);
    if (self instanceof SessionMachine mutable) {
      requireOpen(a, mutable);
      return mutable;
    }
    if (self instanceof Vm vm) {
      throw a.fault(VBOX_E_INVALID_VM_STATE, "The machine '" + vm.name + "' is not mutable"
          + " (state is " + vm.state + ")");
    }
    throw invalidObject(a.text("_this"));
  }

  private static void requireOpen(Args a, SessionMachine mutable) {
    if (mutable.closed) {
      throw a.fault(E_ACCESSDENIED, "The object is not ready");
    }
  }

  private Disk disk(Args a) {
    Disk disk = a.self(Disk.class);
    if (disk.gone) {
      throw a.fault(E_ACCESSDENIED, "The object is not ready");
    }
    return disk;
  }

  /** Runs an action holding the lock; the outermost one then shows guests what changed. */
  private <T> T guarded(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      try {
        if (lock.getHoldCount() == 1) {
          showGuests();
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
