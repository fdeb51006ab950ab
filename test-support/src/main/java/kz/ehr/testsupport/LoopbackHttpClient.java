package kz.ehr.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 over one keep-alive connection from a chosen loopback address (127.0.0.x), so a test can be several
 * distinct clients at once — what a per-client rate limit sees. The JDK's HttpClient cannot bind a local address.
 */
public final class LoopbackHttpClient implements AutoCloseable {
    /** A response: status, lower-cased headers, body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public LoopbackHttpClient(int port, String localAddress) throws IOException {
        socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true); // else Nagle and delayed ACKs make every request take 40 ms
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    public Answer post(String path, String json) throws IOException {
        return request("POST", path, json, Map.of());
    }

    public Answer post(String path, String json, Map<String, String> extraHeaders) throws IOException {
        return request("POST", path, json, extraHeaders);
    }

    /** {@code json} null sends no body. */
    public Answer request(String method, String path, String json, Map<String, String> extraHeaders) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length + "\r\n");
        extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        whole.write(body);
        out.write(whole.toByteArray());
        out.flush();
        int status = Integer.parseInt(line().split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(), h.substring(colon + 1).trim());
        }
        byte[] content;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            content = chunks(); // a larger JSON body is streamed; it must be read whole or the next answer is garbage
        } else {
            content = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new Answer(status, headers, new String(content, StandardCharsets.UTF_8));
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
             size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
            content.write(in.readNBytes(size));
            line(); // the CRLF after the chunk
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers carry nothing a test reads
        }
        return content.toByteArray();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
