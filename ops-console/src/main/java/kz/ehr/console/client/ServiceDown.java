package kz.ehr.console.client;

/** A service refused the connection or did not answer in time: the page says so plainly instead of failing. */
public class ServiceDown extends RuntimeException {
    public final Service service;

    public ServiceDown(Service service, String url, Throwable cause) {
        super(service.label + " is not answering (" + url + ")", cause);
        this.service = service;
    }
}
