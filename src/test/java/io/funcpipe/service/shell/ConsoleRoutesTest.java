package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

@DisplayName("ConsoleRoutes: the console's page, its assets and /openapi.yaml from the jar")
class ConsoleRoutesTest {


    private RoutesServer routes;

    @BeforeEach
    void start() throws TimeoutException {
        routes = RoutesServer.start((vertx, router) -> ConsoleRoutes.mount(router));
    }

    @AfterEach
    void stop() throws TimeoutException {
        routes.close();
    }

    private HttpResponse<Buffer> get(String path) throws TimeoutException {
        return routes.get(path);
    }

    @Test
    @DisplayName("/ is the page, which loads only its own script and style, under a same-origin content policy")
    void page() throws TimeoutException {
        HttpResponse<Buffer> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.getHeader("Content-Type")).startsWith("text/html");
        assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.bodyAsString()).contains("<script src=\"/console.js\"", "href=\"/console.css\"", "id=\"submit-form\"")
                .doesNotContain("http://", "https://");
        assertThat(get("/console.js").getHeader("Content-Type")).startsWith("text/javascript");
        assertThat(get("/console.js").bodyAsString()).contains("new EventSource(", "'/v1/jobs", "'/v1/indexes");
        assertThat(get("/console.css").getHeader("Content-Type")).startsWith("text/css");
        assertThat(get("/nothing-here.js").statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("/openapi.yaml is OpenAPI 3.1 describing every /v1 endpoint with its methods")
    @SuppressWarnings("unchecked")
    void openApi() throws TimeoutException {
        HttpResponse<Buffer> response = get("/openapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("application/yaml");
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(response.bodyAsString());
        assertThat(doc.get("openapi")).isEqualTo("3.1.0");
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertThat(paths.get("/v1/jobs")).containsKeys("get", "post");
        assertThat(paths.get("/v1/jobs/{id}")).containsKeys("get", "delete");
        assertThat(paths.get("/v1/jobs/{id}/events")).containsKey("get");
        assertThat(paths.get("/v1/indexes")).containsKey("get");
        assertThat(paths.get("/v1/indexes/{name}/search")).containsKey("post");
        String text = response.bodyAsString();
        Map<String, Object> components = (Map<String, Object>) doc.get("components");
        Map<String, Object> schemas = (Map<String, Object>) components.get("schemas");
        Map<String, Object> responses = (Map<String, Object>) components.get("responses");
        // every reference points at a schema or response the document defines
        Matcher refs = Pattern.compile("#/components/(schemas|responses)/(\\w+)").matcher(text);
        while (refs.find()) {
            Map<String, Object> section = refs.group(1).equals("schemas") ? schemas : responses;
            assertThat(section).as("the target of %s", refs.group()).containsKey(refs.group(2));
        }
    }
}
