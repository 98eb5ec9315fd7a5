package dev.ssehub.testkit;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain, complete HTTP exchanges for tests: the status, the headers and the whole body as text. */
public final class Http {

    private static final CloseableHttpClient CLIENT = HttpClients.custom()
            .disableAutomaticRetries()
            .disableContentCompression()
            .build();

    private Http() {
    }

    public record Reply(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    public static Reply get(URI uri) throws IOException {
        return send("GET", uri, Map.of(), null, null);
    }

    public static Reply send(String method, URI uri, Map<String, String> headers, byte[] body, String contentType)
            throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        headers.forEach(request::setHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, contentType == null ? null : ContentType.parse(contentType)));
        }
        return execute(request);
    }

    private static Reply execute(HttpUriRequestBase request) throws IOException {
        return CLIENT.execute(request, response -> new Reply(
                response.getCode(),
                Arrays.stream(response.getHeaders()).collect(Collectors.toMap(
                        h -> h.getName().toLowerCase(), Header::getValue, (a, b) -> a + ", " + b)),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity())));
    }
}
