package io.skylift.sandbox;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Lambda context the sandbox passes to the handler; the handler's log lines go to SLF4J. */
final class SandboxContext implements Context {

    private static final Logger LOG = LoggerFactory.getLogger("skylift.sandbox.api");
    private static final LambdaLogger LOGGER = new LambdaLogger() {
        @Override
        public void log(String message) {
            LOG.debug("{}", message.strip());
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
    @Override public String getLogGroupName() { return "sandbox"; }
    @Override public String getLogStreamName() { return "sandbox"; }
    @Override public String getFunctionName() { return "skylift-sandbox"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:skylift-sandbox"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 29_000; }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() { return LOGGER; }
}
