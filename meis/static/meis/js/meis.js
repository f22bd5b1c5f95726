// MEİS page behaviour: start govuk-frontend's components (skip link, service navigation, …).
import { initAll } from "./govuk-frontend.min.js";

initAll();
