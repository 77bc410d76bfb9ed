/** Every backend call the Imports page makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";
import type { Id } from "@convex/_generated/dataModel";

export const useImports = () => useQuery(api.imports.imports.list);
export const useSourceDownloadLink = () => useMutation(api.imports.imports.sourceDownloadLink);
export const useBeginImport = () => useMutation(api.imports.imports.begin);
export const useImportUploadUrl = () => useMutation(api.imports.imports.uploadUrl);
export const useFinishImportUpload = () => useMutation(api.imports.imports.finishUpload);
export const useSubmitImport = () => useMutation(api.imports.imports.submit);
export const useConfirmImport = () => useMutation(api.imports.imports.confirm);
export const useCancelImport = () => useMutation(api.imports.imports.cancel);
export const useImportRepeat = (importId: Id<"imports">) =>
  useQuery(api.imports.imports.repeatOf, { importId });
export const useSendImportAgain = () => useMutation(api.imports.imports.sendAgain);
