import {
  Link,
  sidebarConfig,
  useSidebarOpenState,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';
import { akiliColors } from '../theme/akiliTheme';

const useStyles = makeStyles({
  root: {
    width: sidebarConfig.drawerWidthClosed,
    height: 3 * sidebarConfig.logoHeight,
    display: 'flex',
    flexFlow: 'row nowrap',
    alignItems: 'center',
    marginBottom: -14,
  },
  link: {
    marginLeft: 22,
    display: 'flex',
    alignItems: 'baseline',
    gap: 6,
    color: '#ffffff',
    fontWeight: 700,
    letterSpacing: 0.5,
    whiteSpace: 'nowrap',
  },
  mark: {
    fontSize: 28,
    color: akiliColors.tealLight,
  },
  word: {
    fontSize: 22,
  },
  accent: {
    fontSize: 13,
    fontWeight: 500,
    color: akiliColors.amber,
    textTransform: 'uppercase',
  },
});

/** The "akili" word mark: full when the sidebar is open, the letter "a" when closed. */
export const SidebarLogo = () => {
  const classes = useStyles();
  const { isOpen } = useSidebarOpenState();

  return (
    <div className={classes.root}>
      {/* The name holds the visible words (WCAG 2.5.3, label in name). */}
      <Link
        to="/"
        underline="none"
        className={classes.link}
        aria-label="Akili portal home"
      >
        {isOpen ? (
          <>
            <span className={classes.word}>akili</span>{' '}
            <span className={classes.accent}>portal</span>
          </>
        ) : (
          <span className={classes.mark}>a</span>
        )}
      </Link>
    </div>
  );
};
