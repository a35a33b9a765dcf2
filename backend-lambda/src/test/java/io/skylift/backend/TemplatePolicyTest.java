package io.skylift.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Policy as code: the deployment template keeps every hardening promise the README makes. */
class TemplatePolicyTest {

    static JsonNode template;
    static JsonNode resources;

    @BeforeAll
    static void read() throws IOException {
        template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        resources = template.get("Resources");
    }

    static List<JsonNode> statements(JsonNode policies) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode policy : policies) {
            for (JsonNode statement : policy.path("Statement")) {
                // A conditional statement (Fn::If) counts with both its branches.
                if (statement.has("Fn::If")) {
                    statement.get("Fn::If").forEach(branch -> {
                        if (branch.has("Effect")) {
                            all.add(branch);
                        }
                    });
                } else {
                    all.add(statement);
                }
            }
        }
        return all;
    }

    /** What the function may do, one pair a statement: anything not listed here is a new privilege. */
    record Grant(Set<String> actions, JsonNode resource) {}

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static final JsonNode BUCKET = json("{\"Fn::GetAtt\":[\"Bucket\",\"Arn\"]}");

    static final List<Grant> EXPECTED_GRANTS = List.of(
            new Grant(Set.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                    json("{\"Fn::Sub\":\"${Bucket.Arn}/u/*\"}")),
            new Grant(Set.of("s3:DeleteObject"), json("{\"Fn::Sub\":\"${Bucket.Arn}/u/*\"}")),
            new Grant(Set.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject"), json("{\"Fn::Sub\":\"${Bucket.Arn}/shares/*\"}")),
            new Grant(Set.of("s3:GetObject"), json("{\"Fn::Sub\":\"${Bucket.Arn}/archives/*\"}")),
            new Grant(Set.of("s3:RestoreObject"), json("{\"Fn::Sub\":\"${Bucket.Arn}/archives/*\"}")),
            new Grant(Set.of("s3:ListBucket"), BUCKET),
            new Grant(Set.of("s3:ListBucketMultipartUploads"), BUCKET),
            new Grant(Set.of("secretsmanager:GetSecretValue"), json("{\"Ref\":\"SealSecret\"}")),
            new Grant(Set.of("kms:GenerateDataKey", "kms:Decrypt"), json("{\"Ref\":\"KmsKeyArn\"}")));

    static List<JsonNode> functionStatements() {
        return statements(resources.get("Function").get("Properties").get("Policies"));
    }

    /** IAM takes one value or a list wherever a list is allowed. */
    static JsonNode listed(JsonNode node) {
        return node.isArray() ? node : JSON.createArrayNode().add(node);
    }

    static Set<String> actions(JsonNode statement) {
        Set<String> actions = new HashSet<>();
        listed(statement.path("Action")).forEach(a -> actions.add(a.asText()));
        return actions;
    }

    static JsonNode statementGranting(String action) {
        return functionStatements().stream().filter(s -> actions(s).contains(action)).findFirst().orElseThrow();
    }

    @Test
    void theFunctionIsAllowedOnlyTheListedActionsOnTheListedResources() {
        List<JsonNode> allows = functionStatements().stream().filter(s -> s.path("Effect").asText().equals("Allow")).toList();
        assertThat(allows).isNotEmpty();
        for (JsonNode statement : allows) {
            assertThat(new Grant(actions(statement), statement.get("Resource"))).as(statement.toString()).isIn(EXPECTED_GRANTS);
        }
    }

    @Test
    void everyS3WriteIsConfinedToTheUsersFoldersAndTheShareMarkers() {
        for (JsonNode statement : functionStatements()) {
            // IAM matches action names case-insensitively; anything that is not a read, a list or a restore (which
            // makes a temporary readable copy, changing no object) may change data.
            boolean writes = actions(statement).stream().map(a -> a.toLowerCase(Locale.ROOT))
                    .anyMatch(a -> a.startsWith("s3:") && !a.startsWith("s3:get") && !a.startsWith("s3:list")
                            && !a.equals("s3:restoreobject"));
            if (writes) {
                assertThat(listed(statement.get("Resource"))).as(statement.toString())
                        .allSatisfy(r -> assertThat(r.path("Fn::Sub").asText()).matches("\\$\\{Bucket\\.Arn}/(u|shares)/.*"));
            }
        }
    }

    /** Every resource the function may apply {@code action} to (case-insensitive, as IAM matches), wildcards included. */
    static List<String> resourcesFor(String action) {
        List<String> resources = new ArrayList<>();
        for (JsonNode statement : functionStatements()) {
            boolean grants = statement.path("Effect").asText().equals("Allow") && actions(statement).stream()
                    .anyMatch(a -> a.equalsIgnoreCase(action) || a.equals("s3:*") || a.equals("*")
                            || (a.endsWith("*") && action.toLowerCase(Locale.ROOT).startsWith(a.substring(0, a.length() - 1).toLowerCase(Locale.ROOT))));
            if (grants) {
                listed(statement.get("Resource")).forEach(r -> resources.add(r.has("Fn::Sub") ? r.get("Fn::Sub").asText() : r.toString()));
            }
        }
        return resources;
    }

    @Test
    void filesMayBeDeletedOnlyInUsersFoldersAndRestoredOnlyInTheArchive() {
        assertThat(resourcesFor("s3:DeleteObject")).containsExactlyInAnyOrder("${Bucket.Arn}/u/*", "${Bucket.Arn}/shares/*");
        assertThat(resourcesFor("s3:RestoreObject")).containsExactly("${Bucket.Arn}/archives/*");
        assertThat(resourcesFor("s3:DeleteObjectVersion")).as("no version is ever removed by the function").isEmpty();
        assertThat(resourcesFor("s3:PutObject")).as("a move's copy is written only in users' folders; markers only in shares/")
                .containsExactlyInAnyOrder("${Bucket.Arn}/u/*", "${Bucket.Arn}/shares/*");
        assertThat(resourcesFor("s3:GetObject")).doesNotContain("${Bucket.Arn}/*");
        assertThat(resourcesFor("s3:GetObject")).contains("${Bucket.Arn}/u/*");
    }

    @Test
    void theBucketKeepsDeletedFilesAsVersionsForTheConfiguredDaysAndThenRemovesThem() {
        JsonNode bucket = resources.get("Bucket").get("Properties");
        assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
        JsonNode rule = null;
        for (JsonNode r : bucket.at("/LifecycleConfiguration/Rules")) {
            if (r.has("NoncurrentVersionExpiration")) {
                rule = r;
            }
        }
        assertThat(rule).as("a rule expiring noncurrent versions").isNotNull();
        assertThat(rule.get("Status").asText()).isEqualTo("Enabled");
        assertThat(rule.has("Prefix") || rule.has("Filter")).as("the whole bucket").isFalse();
        assertThat(rule.at("/NoncurrentVersionExpiration/NoncurrentDays/Ref").asText()).isEqualTo("DeletedRetentionDays");
        assertThat(rule.get("ExpiredObjectDeleteMarker").asBoolean()).as("delete markers left alone go too").isTrue();
        JsonNode days = template.at("/Parameters/DeletedRetentionDays");
        assertThat(days.get("Default").asInt()).isEqualTo(30);
        assertThat(days.get("MinValue").asInt()).isEqualTo(1);
    }

    @Test
    void movingTheArchiveToGlacierIsAnOptionalRuleOffByDefault() {
        JsonNode conditional = null;
        for (JsonNode r : resources.get("Bucket").at("/Properties/LifecycleConfiguration/Rules")) {
            if (r.has("Fn::If")) {
                conditional = r.get("Fn::If");
            }
        }
        assertThat(conditional).as("a conditional lifecycle rule").isNotNull();
        assertThat(conditional.get(0).asText()).isEqualTo("ArchiveToGlacier");
        JsonNode rule = conditional.get(1);
        assertThat(rule.get("Prefix").asText()).isEqualTo("archives/");
        assertThat(rule.at("/Transitions/0/StorageClass").asText()).isEqualTo("GLACIER");
        assertThat(rule.at("/Transitions/0/TransitionInDays/Ref").asText()).isEqualTo("ArchiveToGlacierDays");
        assertThat(conditional.get(2)).isEqualTo(json("{\"Ref\":\"AWS::NoValue\"}"));
        assertThat(template.at("/Conditions/ArchiveToGlacier"))
                .isEqualTo(json("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"ArchiveToGlacierDays\"},\"0\"]}]}"));
        assertThat(template.at("/Parameters/ArchiveToGlacierDays/Default").asInt()).as("off by default").isZero();
    }

    @Test
    void listingObjectsIsOnlyAllowedWithTheUserAndArchivePrefixes() {
        JsonNode list = statementGranting("s3:ListBucket");
        assertThat(actions(list)).containsExactly("s3:ListBucket");
        assertThat(list.at("/Condition/StringLike/s3:prefix").toString()).isEqualTo("[\"u/*\",\"archives/*\",\"shares/*\"]");
    }

    @Test
    void listingUnfinishedUploadsIsAllowedOnTheBucketWithoutAPrefixConditionIamCannotEvaluate() {
        JsonNode uploads = statementGranting("s3:ListBucketMultipartUploads");
        assertThat(actions(uploads)).containsExactly("s3:ListBucketMultipartUploads");
        assertThat(uploads.get("Resource")).isEqualTo(BUCKET);
        List<String> fields = new ArrayList<>();
        uploads.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("Sid", "Effect", "Action", "Resource");
    }

    @Test
    void theBucketBlocksPublicAccessEnforcesOwnershipEncryptsAndHasNoCors() {
        JsonNode bucket = resources.get("Bucket").get("Properties");
        JsonNode block = bucket.get("PublicAccessBlockConfiguration");
        assertThat(List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"))
                .allSatisfy(flag -> assertThat(block.get(flag).asBoolean()).as(flag).isTrue());
        assertThat(bucket.at("/OwnershipControls/Rules/0/ObjectOwnership").asText()).isEqualTo("BucketOwnerEnforced");
        assertThat(bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").toString())
                .contains("AES256").contains("aws:kms");
        assertThat(bucket.has("CorsConfiguration")).isFalse();
    }

    @Test
    void theBucketPolicyDeniesEveryRequestWithoutTls() {
        JsonNode deny = resources.get("BucketPolicy").at("/Properties/PolicyDocument/Statement/0");
        assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
        assertThat(deny.get("Action").asText()).isEqualTo("s3:*");
        assertThat(deny.get("Principal").asText()).isEqualTo("*");
        assertThat(deny.get("Resource")).containsExactlyInAnyOrder(BUCKET, json("{\"Fn::Sub\":\"${Bucket.Arn}/*\"}"));
        assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
    }

    @Test
    void unfinishedUploadsAreRemovedAfterAConfigurableNumberOfDays() {
        JsonNode rule = resources.get("Bucket").at("/Properties/LifecycleConfiguration/Rules/0");
        assertThat(rule.get("Status").asText()).isEqualTo("Enabled");
        assertThat(rule.at("/AbortIncompleteMultipartUpload/DaysAfterInitiation/Ref").asText()).isEqualTo("IncompleteUploadDays");
        assertThat(template.at("/Parameters/IncompleteUploadDays/Default").asInt()).isEqualTo(3);
    }

    @Test
    void theFunctionRunsJava25WithSnapStartOnAPublishedAlias() {
        JsonNode function = resources.get("Function").get("Properties");
        assertThat(function.get("Runtime").asText()).isEqualTo("java25");
        assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(function.get("AutoPublishAlias").asText()).isNotBlank();
        assertThat(function.get("Handler").asText()).isEqualTo(Handler.class.getName() + "::handleRequest");
    }

    @Test
    void noSecretIsWrittenInTheTemplate() throws IOException {
        JsonNode variables = resources.get("Function").at("/Properties/Environment/Variables");
        assertThat(variables.has("SKYLIFT_SEAL_SECRET")).isFalse();
        assertThat(variables.at("/SKYLIFT_SEAL_SECRET_ARN/Ref").asText()).isEqualTo("SealSecret");
        JsonNode secret = resources.get("SealSecret").get("Properties");
        assertThat(secret.has("SecretString")).isFalse();
        assertThat(secret.has("GenerateSecretString")).isTrue();
        String text = Files.readString(Path.of("template.yaml"));
        assertThat(text).doesNotContainPattern("(?im)^\\s*(secretstring|password|skylift_seal_secret|aws_secret_access_key)\\s*:[ \\t]*\\S");
    }

    @Test
    void theApiAuthorisesWithJwtsThrottlesAndLogsNeitherQueriesNorHeaders() {
        JsonNode api = resources.get("Api").get("Properties");
        assertThat(api.at("/Auth/DefaultAuthorizer").asText()).isEqualTo("Jwt");
        assertThat(api.at("/Auth/Authorizers/Jwt/JwtConfiguration").has("issuer")).isTrue();
        assertThat(api.at("/Auth/Authorizers/Jwt/JwtConfiguration").has("audience")).isTrue();
        assertThat(api.at("/DefaultRouteSettings/ThrottlingRateLimit").isMissingNode()).isFalse();
        String format = api.at("/AccessLogSettings/Format").asText();
        assertThat(format).contains("$context.routeKey").doesNotContainIgnoringCase("querystring")
                .doesNotContainIgnoringCase("authorization").doesNotContain("$context.path").doesNotContain("$request.");
        JsonNode events = resources.get("Function").at("/Properties/Events");
        assertThat(events.at("/Config/Properties/Auth/Authorizer").asText()).as("sign-in config is public").isEqualTo("NONE");
        List<String> routes = new ArrayList<>();
        events.forEach(e -> routes.add(e.at("/Properties/Method").asText() + " " + e.at("/Properties/Path").asText()));
        assertThat(routes).contains("GET /v1/config", "GET /v1/me", "POST /v1/uploads", "GET /v1/uploads",
                "POST /v1/uploads/{id}/parts/sign", "GET /v1/uploads/{id}/parts", "POST /v1/uploads/{id}/complete",
                "DELETE /v1/uploads/{id}", "GET /v1/files", "GET /v1/files/content", "POST /v1/downloads",
                "POST /v1/batch/uploads", "POST /v1/batch/completions", "DELETE /v1/files", "POST /v1/batch/deletions",
                "POST /v1/moves", "POST /v1/moves/{id}/continue", "DELETE /v1/moves/{id}", "POST /v1/restores",
                "POST /v1/shares", "GET /v1/shares", "DELETE /v1/shares/{id}", "GET /s/{token}", "GET /s/{token}/{file}");
        assertThat(events.at("/SharePage/Properties/Auth/Authorizer").asText()).as("a share link's page is public").isEqualTo("NONE");
        assertThat(events.at("/ShareDownload/Properties/Auth/Authorizer").asText()).as("and its downloads").isEqualTo("NONE");
        // Every other route keeps the API's JWT authorizer: none opts out of it.
        events.fields().forEachRemaining(e -> {
            if (!List.of("Config", "SharePage", "ShareDownload").contains(e.getKey())) {
                assertThat(e.getValue().at("/Properties/Auth").isMissingNode()).as(e.getKey()).isTrue();
            }
        });
    }

    @Test
    void samBuildCopiesTheJarMavenBuiltInsteadOfBuildingTheFunctionItself() {
        JsonNode function = resources.get("Function");
        assertThat(function.at("/Properties/CodeUri").asText()).isEqualTo("target/skylift-lambda.jar");
        // SAM CLI reads the resource's Metadata, beside Properties, not inside them.
        assertThat(function.at("/Metadata/SkipBuild").isBoolean()).as("SkipBuild is a YAML boolean").isTrue();
        assertThat(function.at("/Metadata/SkipBuild").asBoolean()).isTrue();
        assertThat(function.at("/Properties/Metadata").isMissingNode()).isTrue();
    }

    static Pattern domainPrefixPattern() {
        return Pattern.compile(template.at("/Parameters/UserPoolDomainPrefix/AllowedPattern").asText());
    }

    @Test
    void theSignInDomainPrefixAcceptsOnlyWhatCognitoAccepts() {
        // CloudFormation matches AllowedPattern with Java's regular expressions, against the whole value.
        Pattern prefix = domainPrefixPattern();
        String longest = "a".repeat(63);

        assertThat(List.of("photos-example-sign-in", "a", "9", "studio-42", "a-b-c", longest))
                .allSatisfy(good -> assertThat(prefix.matcher(good).matches()).as(good).isTrue());
        assertThat(List.of("MyStack", "my_stack", "a.b", longest + "a", "-x", "x-", "-", "my-aws-files", "amazon-photos",
                "photos-cognito", "AWS", "my stack"))
                .allSatisfy(bad -> assertThat(prefix.matcher(bad).matches()).as(bad).isFalse());
        assertThat(template.at("/Parameters/UserPoolDomainPrefix/ConstraintDescription").asText())
                .contains("lower-case").contains("63").contains("hyphen").contains("\"aws\"");
    }

    @Test
    void theUserPoolsDomainIsTheGivenPrefixNeverOneDerivedFromTheStackName() {
        assertThat(resources.at("/UserPoolDomain/Properties/Domain")).isEqualTo(json("{\"Ref\":\"UserPoolDomainPrefix\"}"));
        assertThat(template.toString()).doesNotContain("${AWS::StackName}-${AWS::AccountId}");
        // Empty passes the pattern only for deployments with their own issuer: a rule refuses it with a user pool.
        assertThat(domainPrefixPattern().matcher("").matches()).isTrue();
        JsonNode rule = template.at("/Rules/DomainPrefixForTheUserPool");
        assertThat(rule.get("RuleCondition")).isEqualTo(json("{\"Fn::Equals\":[{\"Ref\":\"ExistingIssuer\"},\"\"]}"));
        assertThat(resources.at("/UserPool/Condition").asText()).isEqualTo("CreateUserPool");
        assertThat(template.at("/Conditions/CreateUserPool")).isEqualTo(rule.get("RuleCondition"));
        JsonNode assertion = rule.at("/Assertions/0");
        assertThat(assertion.get("Assert")).isEqualTo(json("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"UserPoolDomainPrefix\"},\"\"]}]}"));
        assertThat(assertion.get("AssertDescription").asText()).contains("UserPoolDomainPrefix").contains("ExistingIssuer");
    }

    @Test
    void signInIsAPublicPkceClientWithLoopbackRedirectsAndTheTwoGroups() {
        JsonNode client = resources.get("DesktopClient").get("Properties");
        assertThat(client.get("GenerateSecret").asBoolean()).isFalse();
        assertThat(client.get("AllowedOAuthFlows").toString()).isEqualTo("[\"code\"]");
        assertThat(client.get("CallbackURLs")).allSatisfy(url -> assertThat(url.asText()).startsWith("http://localhost:"));
        assertThat(resources.at("/PhotographersGroup/Properties/GroupName").asText()).isEqualTo("photographers");
        assertThat(resources.at("/StaffGroup/Properties/GroupName").asText()).isEqualTo("staff");
        assertThat(template.get("Outputs").has("ApiUrl")).isTrue();
        assertThat(template.get("Outputs").has("Issuer")).isTrue();
        assertThat(template.get("Outputs").has("ClientId")).isTrue();
    }

    // ----- limits and retention -----

    static List<String> routeKeys() {
        List<String> routes = new ArrayList<>();
        resources.get("Function").at("/Properties/Events")
                .forEach(e -> routes.add(e.at("/Properties/Method").asText() + " " + e.at("/Properties/Path").asText()));
        return routes;
    }

    @Test
    void everyRouteHasALimitOfItsOwnAndThePublicRouteATighterOne() {
        JsonNode settings = resources.get("Api").at("/Properties/RouteSettings");
        List<String> limited = new ArrayList<>();
        settings.fieldNames().forEachRemaining(limited::add);

        assertThat(limited).containsExactlyInAnyOrderElementsOf(routeKeys());
        JsonNode publicRoute = settings.get("GET /v1/config");
        assertThat(publicRoute.at("/ThrottlingRateLimit/Ref").asText()).isEqualTo("PublicThrottleRate");
        assertThat(publicRoute.at("/ThrottlingBurstLimit/Ref").asText()).isEqualTo("PublicThrottleBurst");
        // A batch call does up to 100 files' work (1,000 deletions): its routes have a limit of their own, lower in calls.
        List<String> batches = List.of("POST /v1/batch/uploads", "POST /v1/batch/completions", "POST /v1/batch/deletions");
        for (String batch : batches) {
            assertThat(settings.at("/" + batch.replace("/", "~1") + "/ThrottlingRateLimit/Ref").asText()).as(batch).isEqualTo("BatchThrottleRate");
            assertThat(settings.at("/" + batch.replace("/", "~1") + "/ThrottlingBurstLimit/Ref").asText()).as(batch).isEqualTo("BatchThrottleBurst");
        }
        // Share links' public routes answer anyone: a limit of their own, tighter than the signed-in routes'.
        List<String> sharePages = List.of("GET /s/{token}", "GET /s/{token}/{file}");
        for (String page : sharePages) {
            assertThat(settings.get(page).at("/ThrottlingRateLimit/Ref").asText()).as(page).isEqualTo("SharePageThrottleRate");
            assertThat(settings.get(page).at("/ThrottlingBurstLimit/Ref").asText()).as(page).isEqualTo("SharePageThrottleBurst");
        }
        settings.fields().forEachRemaining(route -> {
            if (!route.getKey().equals("GET /v1/config") && !batches.contains(route.getKey()) && !sharePages.contains(route.getKey())) {
                assertThat(route.getValue().at("/ThrottlingRateLimit/Ref").asText()).as(route.getKey()).isEqualTo("ThrottleRate");
                assertThat(route.getValue().at("/ThrottlingBurstLimit/Ref").asText()).as(route.getKey()).isEqualTo("ThrottleBurst");
            }
        });
        JsonNode parameters = template.get("Parameters");
        assertThat(parameters.at("/BatchThrottleRate/Default").asInt()).isPositive()
                .isLessThan(parameters.at("/ThrottleRate/Default").asInt());
        assertThat(parameters.at("/BatchThrottleBurst/Default").asInt()).isPositive()
                .isLessThan(parameters.at("/ThrottleBurst/Default").asInt());
        assertThat(parameters.at("/PublicThrottleRate/Default").asInt()).isPositive()
                .isLessThan(parameters.at("/ThrottleRate/Default").asInt());
        assertThat(parameters.at("/PublicThrottleBurst/Default").asInt()).isPositive()
                .isLessThan(parameters.at("/ThrottleBurst/Default").asInt());
        assertThat(parameters.at("/SharePageThrottleRate/Default").asInt()).isPositive()
                .isLessThan(parameters.at("/ThrottleRate/Default").asInt());
        assertThat(parameters.at("/SharePageThrottleBurst/Default").asInt()).isPositive()
                .isLessThan(parameters.at("/ThrottleBurst/Default").asInt());
    }

    @Test
    void shareMarkersExpireWithTheLongestLinkAndTheFunctionIsToldThatLimit() {
        JsonNode rule = null;
        for (JsonNode r : resources.get("Bucket").at("/Properties/LifecycleConfiguration/Rules")) {
            if (r.path("Id").asText().equals("expire-share-markers")) {
                rule = r;
            }
        }
        assertThat(rule).as("a rule expiring share markers").isNotNull();
        assertThat(rule.get("Prefix").asText()).isEqualTo("shares/");
        assertThat(rule.at("/ExpirationInDays/Ref").asText()).isEqualTo("MaxShareDays");
        JsonNode env = resources.get("Function").at("/Properties/Environment/Variables");
        assertThat(env.at("/SKYLIFT_MAX_SHARE_DAYS/Ref").asText()).isEqualTo("MaxShareDays");
        assertThat(env.at("/SKYLIFT_SHARE_BASE_URL/Ref").asText()).isEqualTo("ShareBaseUrl");
        assertThat(template.at("/Parameters/MaxShareDays/Default").asInt()).isEqualTo(30);
        assertThat(template.at("/Parameters/MaxShareDays/MaxValue").asInt()).isEqualTo(365);
    }

    @Test
    void theFunctionsConcurrencyIsReservedByAParameterWithASensibleDefault() {
        JsonNode reserved = resources.get("Function").at("/Properties/ReservedConcurrentExecutions");
        assertThat(reserved).isEqualTo(json(
                "{\"Fn::If\":[\"ReserveConcurrency\",{\"Ref\":\"ReservedConcurrency\"},{\"Ref\":\"AWS::NoValue\"}]}"));
        JsonNode parameter = template.at("/Parameters/ReservedConcurrency");
        // Enough for the API's limits at tens of milliseconds a request, far below an account's usual 1,000.
        assertThat(parameter.get("Default").asInt()).isBetween(10, 100);
        assertThat(parameter.get("MinValue").asInt()).isEqualTo(-1);
        assertThat(template.at("/Conditions/ReserveConcurrency"))
                .isEqualTo(json("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"ReservedConcurrency\"},\"-1\"]}]}"));
    }

    @Test
    void everyLogGroupKeepsItsLogsForTheConfiguredDaysAndBothLogsGoToOne() {
        List<String> groups = new ArrayList<>();
        resources.fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::Logs::LogGroup")) {
                groups.add(r.getKey());
                assertThat(r.getValue().at("/Properties/RetentionInDays/Ref").asText()).as(r.getKey()).isEqualTo("LogRetentionDays");
            }
        });
        String function = resources.get("Function").at("/Properties/LoggingConfig/LogGroup/Ref").asText();
        String access = resources.get("Api").at("/Properties/AccessLogSettings/DestinationArn/Fn::GetAtt/0").asText();

        assertThat(groups).contains(function, access).doesNotHaveDuplicates();
        assertThat(function).isNotEqualTo(access);
        JsonNode retention = template.at("/Parameters/LogRetentionDays");
        assertThat(retention.get("Default").asInt()).isEqualTo(90);
        assertThat(retention.get("AllowedValues")).extracting(JsonNode::asInt).contains(1, 30, 90, 365, 3653).doesNotContain(0);
    }

    @Test
    void aNewSealRotationPublishesANewVersionWhoseSnapshotReadsTheSecretAgain() {
        JsonNode function = resources.get("Function").get("Properties");
        assertThat(function.at("/AutoPublishCodeSha256/Ref").asText()).isEqualTo("SealRotation");
        assertThat(template.at("/Parameters/SealRotation/Type").asText()).isEqualTo("String");
        assertThat(resources.at("/SealSecret/Properties/Description").asText()).contains("AWSPREVIOUS");
    }
}
