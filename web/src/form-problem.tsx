// The line that says why a form or a panel could not do what was asked, read out as soon as it appears. Nothing is
// drawn while there is no problem, so a caller passes its state as it is.
export function FormProblem({ problem }: { problem: string | null | undefined }) {
  if (!problem) return null;
  return (
    <p className="form-problem" role="alert">
      {problem}
    </p>
  );
}
