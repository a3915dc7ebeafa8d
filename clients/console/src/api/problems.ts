// The console's words for a refusal are the citizens' app's too: one list, in clients/shared.
export { problemMessage } from "../../../shared/problems";
